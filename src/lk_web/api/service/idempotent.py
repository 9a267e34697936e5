"""Every POST of the service API honours `Idempotency-Key` (ADR 0062): the first request
with a key runs and its answer is kept a day; the same request again gets that answer;
another request under the key is refused (422), and one sent while the first still runs
is told to retry (409)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import msgspec
from litestar import Response
from litestar.params import HeaderParameter

from lk_core.kernel.errors import DomainError
from lk_core.service_api import (
    IdempotencyKeyInProgress,
    IdempotencyKeyInvalid,
    IdempotencyKeyReused,
    ServiceApiContext,
    StoredAnswer,
    answer_request,
    claim_request,
    idempotency_key,
    release_request,
    request_fingerprint,
)
from lk_web.api.problems import ApiProblem, Problem, domain_problem
from lk_web.api.problems import problem_response as problem_answer
from lk_web.client import AnyRequest

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
# Headers of an answer worth repeating with it; the rest (dates, ETags) are made anew.
_KEPT = ("content-type", "location")
_ENCODER = msgspec.json.Encoder()

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name=HEADER,
        required=False,
        description=(
            "Ключ идемпотентности (1–255 видимых символов ASCII, например UUID): повтор "
            "запроса с тем же ключом в течение суток получает первый ответ, а не "
            "выполняется снова; тот же ключ с другим запросом — ошибка 422"
        ),
    ),
]
"""The `Idempotency-Key` header of every POST (read from the request; declared for the schema)."""


def _stored(response: Response[Any]) -> StoredAnswer:
    content = response.content
    body = content if isinstance(content, bytes) else _ENCODER.encode(content)
    media_type = str(response.media_type)
    headers = [("content-type", media_type)]
    headers += [(k.lower(), v) for k, v in response.headers.items() if k.lower() in _KEPT[1:]]
    return StoredAnswer(response.status_code or 200, tuple(headers), body)


def _replayed(answer: StoredAnswer) -> Response[bytes]:
    headers = dict(answer.headers)
    media_type = headers.pop("content-type", "application/json")
    return Response(
        answer.body,
        status_code=answer.status,
        media_type=media_type,
        headers={**headers, REPLAYED: "true"},
    )


def _refusal(error: Exception) -> Response[Problem] | None:
    """The answer a refusal gets, kept like any answer: the same request is refused again."""
    if isinstance(error, ApiProblem):
        return problem_answer(error)
    if isinstance(error, DomainError):
        return problem_answer(domain_problem(error))
    return None


def run_once(
    request: AnyRequest,
    body: bytes,
    store: ServiceApiContext,
    caller: str,
    run: Callable[[], Response[Any]],
) -> Response[Any]:
    """`run()`'s answer, or under an `Idempotency-Key` the first answer to this request.

    `caller` owns the key: `key:<API key id>` here; the residents' API may pass
    `resident:<registration>` with the same store (`portal.service.api`). Blocking: call it
    in a worker thread."""
    raw_key = request.headers.get(HEADER.lower())
    if raw_key is None:
        return run()
    try:
        key = idempotency_key(raw_key)
    except IdempotencyKeyInvalid as invalid:
        raise ApiProblem.invalid_field(HEADER, invalid.message_ru, invalid.code) from None
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    fingerprint = request_fingerprint(
        request.method, target, request.headers.get("content-type", ""), body
    )
    try:
        first = claim_request(store, caller, key, fingerprint)
    except IdempotencyKeyReused as reused:
        raise ApiProblem(422, reused.code, reused.message_ru) from None
    except IdempotencyKeyInProgress as running:
        raise ApiProblem(
            409, running.code, running.message_ru, headers={"Retry-After": "1"}
        ) from None
    if first is not None:
        return _replayed(first)
    try:
        response = run()
    except Exception as error:
        refused = _refusal(error)
        if refused is None:
            release_request(store, caller, key)
            raise
        answer_request(store, caller, key, _stored(refused))
        raise
    answer_request(store, caller, key, _stored(response))
    return response
