"""Errors of the JSON API as RFC 9457 problem documents (ADR 0060).

Every refusal is `application/problem+json` with a stable machine `code` a client may
branch on, and a Russian `detail` a person may read. A refused field is named: the
problem lists each one under `errors`.
"""

from __future__ import annotations

from http import HTTPStatus

import msgspec
import structlog
from litestar import Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    ValidationException,
)
from litestar.openapi.datastructures import ResponseSpec
from litestar.types import ExceptionHandlersMap

from lk_core.kernel.errors import DomainError, InvalidValue, NotFound
from lk_web.client import AnyRequest
from lk_web.request_logging import loggable_path

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldProblem(msgspec.Struct, frozen=True):
    """What is wrong with one field of the request: its name, a code and a Russian text."""

    field: str
    code: str
    detail: str


class Problem(msgspec.Struct, frozen=True, omit_defaults=True):
    """An RFC 9457 problem document with the portal's two extensions: `code` and `errors`."""

    type: str
    title: str
    status: int
    code: str
    detail: str
    errors: list[FieldProblem] = msgspec.field(default_factory=list)


class ApiProblem(Exception):
    """Raised by an API handler to answer with a problem document."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        errors: list[FieldProblem] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}

    @classmethod
    def invalid_field(cls, field: str, detail: str, code: str = "invalid_value") -> ApiProblem:
        """A 400 naming the one field that is wrong."""
        return cls(400, "validation_failed", detail, errors=[FieldProblem(field, code, detail)])


NOT_FOUND_DETAIL = "Не найдено"
NOT_SIGNED_IN_DETAIL = "Нужно войти: токен доступа не передан, неверен или истёк"
SERVER_ERROR_DETAIL = "Что-то пошло не так. Попробуйте повторить запрос через несколько минут."
STATUS_DETAILS = {
    400: "Запрос не понят",
    401: NOT_SIGNED_IN_DETAIL,
    403: "Доступ запрещён",
    404: NOT_FOUND_DETAIL,
    405: "Этот метод здесь не поддерживается",
    406: "Ответ в запрошенном формате невозможен",
    413: "Запрос слишком большой",
    415: "Тело запроса должно быть в формате JSON",
    429: "Слишком много запросов. Повторите позже.",
}
STATUS_CODES = {
    400: "bad_request",
    401: "not_signed_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    500: "server_error",
}


def problem_type(code: str) -> str:
    """The problem's `type`: a URN per code, stable for as long as the code is."""
    return f"urn:lk:problem:{code}"


def problem_response(problem: ApiProblem) -> Response[Problem]:
    """The HTTP answer carrying a problem document."""
    body = Problem(
        type=problem_type(problem.code),
        title=HTTPStatus(problem.status).phrase,
        status=problem.status,
        code=problem.code,
        detail=problem.detail,
        errors=problem.errors,
    )
    return Response(
        body, status_code=problem.status, media_type=PROBLEM_MEDIA_TYPE, headers=problem.headers
    )


def of_status(status: int, headers: dict[str, str] | None = None) -> ApiProblem:
    """The portal's generic problem for an HTTP status."""
    return ApiProblem(
        status,
        STATUS_CODES.get(status, "http_error"),
        STATUS_DETAILS.get(status, HTTPStatus(status).phrase),
        headers=headers,
    )


def field_name(key: object) -> str:
    """A field as a client names it: the dotted path of a body member, or the parameter."""
    text = str(key or "body")
    return text.removeprefix("$.")


def validation_problem(error: ValidationException) -> ApiProblem:
    """Litestar's refusal of a parameter or body, naming each field in Russian."""
    fields: list[FieldProblem] = []
    extra = error.extra if isinstance(error.extra, list) else []
    for item in extra:
        if not isinstance(item, dict):
            continue
        name = field_name(item.get("key"))
        fields.append(FieldProblem(name, "invalid_value", f"Поле «{name}» заполнено неверно"))
    if not fields:
        fields.append(FieldProblem("body", "invalid_value", "Тело запроса не понято"))
    detail = "; ".join(field.detail for field in fields)
    return ApiProblem(400, "validation_failed", detail, errors=fields)


def domain_problem(error: DomainError) -> ApiProblem:
    """A rule of the core broken: 404 for what the asker may not see, 400 naming the field
    for a value of the wrong form, 422 for any other rule, each with the core's `code`."""
    if isinstance(error, NotFound):
        return of_status(404)
    if isinstance(error, InvalidValue):
        return ApiProblem.invalid_field(error.field, error.message_ru, error.code)
    return ApiProblem(422, error.code, error.message_ru)


def on_api_problem(request: AnyRequest, error: ApiProblem) -> Response[Problem]:
    return problem_response(error)


def on_domain_error(request: AnyRequest, error: DomainError) -> Response[Problem]:
    return problem_response(domain_problem(error))


def on_http_error(request: AnyRequest, error: HTTPException) -> Response[Problem]:
    if isinstance(error, ValidationException):
        return problem_response(validation_problem(error))
    if isinstance(error, NotAuthorizedException):
        return problem_response(of_status(401, {"WWW-Authenticate": "Bearer"}))
    headers = {k: v for k, v in (error.headers or {}).items() if k.lower() in {"allow"}}
    return problem_response(of_status(error.status_code, headers))


def on_server_error(request: AnyRequest, error: Exception) -> Response[Problem]:
    structlog.get_logger("lk.api").error(
        "unhandled error", error_type=type(error).__name__, path=loggable_path(request.url.path)
    )
    return problem_response(ApiProblem(500, "server_error", SERVER_ERROR_DETAIL))


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    ApiProblem: on_api_problem,
    DomainError: on_domain_error,
    HTTPException: on_http_error,
    Exception: on_server_error,
}
"""The API's exception handlers, set on its router: they override the HTML ones there."""


def not_found_answer() -> Response[Problem]:
    """The 404 of a path under the API that matched no route (the app's handler calls it)."""
    return problem_response(of_status(404))


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """The `responses` of an operation: each error status it may answer, as a problem.

    400 (a refused parameter) and 500 are listed for every operation.
    """
    wanted = sorted({400, 500, *statuses})
    return {
        status: ResponseSpec(
            data_container=Problem,
            description=STATUS_DETAILS.get(status, HTTPStatus(status).phrase),
            media_type=PROBLEM_MEDIA_TYPE,
            generate_examples=False,
        )
        for status in wanted
    }
