"""The OpenAPI 3.1 document of the JSON API, at `/api/v1/openapi.json` (ADR 0060).

It describes the API only: the app leaves every route out of the schema and the API's
router puts its own back in. No schema UI is served (its viewers load scripts from CDNs),
and nothing is served at `/schema`.
"""

from __future__ import annotations

from litestar import Router
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme, Tag

API_PATH = "/api/v1"
OPENAPI_PATH = API_PATH + "/openapi.json"
BEARER_SCHEME = "bearer"

BEARER: list[SecurityRequirement] = [{BEARER_SCHEME: []}]
"""`security` of an operation for a signed-in resident: `Authorization: Bearer <access token>`."""
# --- service API (F28, ADR 0062): the company's other systems, by API key ---
SERVICE_KEY_SCHEME = "serviceKey"
SERVICE_KEY_HEADER = "X-Api-Key"
SERVICE_KEY: list[SecurityRequirement] = [{SERVICE_KEY_SCHEME: []}]
"""`security` of a service operation: `X-Api-Key: <key from lk api-keys create>`."""
PUBLIC: list[SecurityRequirement] = [{}]
"""`security` of an operation open to anyone (signing in, first visit): no credentials."""

TAGS = [
    Tag(name="access", description="Вход, обновление и отзыв токенов, регистрация"),
    Tag(name="accounts", description="Лицевые счета жителя"),
    Tag(name="settlements", description="Расчёты, квитанции, QR-код оплаты"),
    Tag(name="readings", description="Счётчики и показания"),
    Tag(name="payments", description="Онлайн-оплата"),
    Tag(name="personal", description="Личные данные, услуги, согласия, устройства"),
    Tag(name="service", description="Для систем компании (биллинг, колл-центр): по ключу API"),
]


def openapi_config(version: str) -> OpenAPIConfig:
    """The app's OpenAPI configuration: the JSON document under the API's path, nothing else."""
    return OpenAPIConfig(
        title="Личный кабинет: API v1",
        version=version,
        description=(
            "JSON API личного кабинета жителя. Суммы — десятичные строки в рублях "
            "(«1234.56»), даты — ISO 8601, ошибки — application/problem+json (RFC 9457) "
            "с машинным кодом `code` и текстом `detail` на русском языке; списки "
            "постраничные с непрозрачным курсором; чтения отдают ETag. POST, который что-то "
            "меняет, принимает заголовок `Idempotency-Key`: повтор с тем же ключом и тем же "
            "телом в течение суток получает первый ответ (заголовок `Idempotent-Replayed: "
            "true`) и ничего не делает повторно; тот же ключ с другим телом — 422 "
            "`idempotency_key_reused`, пока первый запрос выполняется — 409. Ключи жителя "
            "общие для всех его устройств и не пересекаются с ключами других жителей. Без "
            "действующего токена — 401, каким бы ни было тело запроса."
        ),
        # A router of its own at the document's address: Litestar's default one would also
        # answer every other `/api/v1/{name}` with an HTML 404 page.
        openapi_router=Router(OPENAPI_PATH, route_handlers=[], include_in_schema=False),
        render_plugins=[JsonRenderPlugin(path="/")],
        components=Components(
            security_schemes={
                BEARER_SCHEME: SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="Токен доступа, выданный при входе (POST /api/v1/tokens)",
                ),
                SERVICE_KEY_SCHEME: SecurityScheme(
                    type="apiKey",
                    name=SERVICE_KEY_HEADER,
                    security_scheme_in="header",
                    description=(
                        "Ключ API системы компании (`lk api-keys create`); у каждой операции "
                        "своя область доступа"
                    ),
                ),
            }
        ),
        tags=TAGS,
        use_handler_docstrings=True,
    )
