"""Errors as pages in the portal's style: no stack trace ever reaches a resident."""

from __future__ import annotations

from typing import Any

import structlog
from litestar import Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.response import Template

from lk_core.kernel.errors import NotFound
from lk_web.api.openapi import API_PATH
from lk_web.api.problems import on_http_error
from lk_web.client import AnyRequest
from lk_web.origin_check import OriginRefused
from lk_web.pages import page
from lk_web.request_logging import loggable_path

TITLES = {
    400: "Запрос не понят",
    403: "Доступ запрещён",
    404: "Страница не найдена",
    405: "Так эту страницу открыть нельзя",
    413: "Файл слишком большой",
    429: "Слишком много запросов",
}


def http_error(request: AnyRequest, error: HTTPException) -> Template | Response[Any]:
    status = error.status_code
    if request.url.path.startswith(API_PATH + "/"):
        return on_http_error(request, error)  # a path of the JSON API no route matched
    if request.url.path.startswith("/api/"):
        return Response({"error": TITLES.get(status, "Ошибка")}, status_code=status)
    if isinstance(error, ValidationException):
        status = 400
    if isinstance(error, OriginRefused):
        return origin_refused(error)
    if status == 403 and "csrf" in str(error.detail).lower():
        text = "Страница устарела. Вернитесь назад, обновите её и повторите действие."
    else:
        text = {
            404: "Возможно, ссылка устарела или в адресе опечатка.",
            405: "Вернитесь на главную страницу и повторите действие оттуда.",
            413: "Фотография к заявке — не больше 10 МБ, всего не больше 5 фотографий. "
            "Уменьшите снимок, вернитесь назад и отправьте заявку снова.",
        }.get(status, "Вернитесь на главную страницу и попробуйте ещё раз.")
    return page("error.html.j2", status_code=status, title=TITLES.get(status, "Ошибка"), text=text)


def origin_refused(error: OriginRefused) -> Template:
    """A form sent from elsewhere, or from the portal opened at an address it does not
    answer forms at: say so, and where to open it."""
    portal = error.portal_url.rstrip("/") + "/"
    return page(
        "error.html.j2",
        status_code=403,
        title="Запрос отклонён",
        text=(
            "Форма отправлена не со страницы портала или портал открыт по другому адресу. "
            "Откройте портал по его адресу, обновите страницу и повторите действие."
        ),
        home=portal,
        home_label=f"Открыть {portal}",
    )


def not_found(request: AnyRequest, error: NotFound) -> Template | Response[Any]:
    """What the core could not find (or the asker may not see) is a page that does not
    exist: the same 404 as a mistyped address, never a hint that it exists."""
    return http_error(request, NotFoundException())


def server_error(request: AnyRequest, error: Exception) -> Template:
    structlog.get_logger("lk.web").error(
        "unhandled error", error_type=type(error).__name__, path=loggable_path(request.url.path)
    )
    return page(
        "error.html.j2",
        status_code=500,
        title="Что-то пошло не так",
        text="Мы уже знаем об ошибке. Попробуйте повторить действие через несколько минут.",
    )
