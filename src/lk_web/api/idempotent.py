"""Every POST of the API that changes something honours `Idempotency-Key` (ADR 0062, 0074):
the first request with a key runs and its answer is kept a day; the same request again gets
that answer; another request under the key is refused (422), and one sent while the first
still runs is told to retry (409). Keys belong to their caller: an API key of the service
API, or a resident's registration (every device of it) in the residents' API."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import msgspec
from litestar import Response
from litestar.concurrency import sync_to_thread
from litestar.datastructures import UploadFile
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
from lk_web.api.auth import TokenHolder
from lk_web.api.problems import ApiProblem, Problem, domain_problem
from lk_web.api.problems import problem_response as problem_answer
from lk_web.client import AnyRequest
from lk_web.dependencies import Services

HEADER = "Idempotency-Key"
IDEMPOTENT_REFUSALS = (409, 422)
"""What a POST under a key may also answer: its request still running, the key reused."""
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
    # A handler's `Response(struct)` leaves its type to Litestar, which answers JSON.
    media_type = str(response.media_type or "application/json")
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
    """The answer a refusal gets, kept like any answer: the same request is refused again.
    None for a refusal that says "later" (429, 5xx: throttled, a provider down): kept, it
    would refuse the retry it asks for for a day."""
    if isinstance(error, ApiProblem):
        refused = error
    elif isinstance(error, DomainError):
        refused = domain_problem(error)
    else:
        return None
    if refused.status == 429 or refused.status >= 500:
        return None
    return problem_answer(refused)


def run_once(
    request: AnyRequest,
    body: bytes,
    store: ServiceApiContext,
    caller: str,
    run: Callable[[], Response[Any]],
    *,
    content_type: str | None = None,
) -> Response[Any]:
    """`run()`'s answer, or under an `Idempotency-Key` the first answer to this request.

    `caller` owns the key: `key:<API key id>` in the service API, `resident:<registration>`
    in the residents' (`resident_once`). The request is told apart by its method, target,
    `content_type` (the header's unless given) and `body`. Blocking: call it in a worker
    thread."""
    raw_key = request.headers.get(HEADER.lower())
    if raw_key is None:
        return run()
    try:
        key = idempotency_key(raw_key)
    except IdempotencyKeyInvalid as invalid:
        raise ApiProblem.invalid_field(HEADER, invalid.message_ru, invalid.code) from None
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if content_type is None:
        content_type = request.headers.get("content-type", "")
    fingerprint = request_fingerprint(request.method, target, content_type, body)
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


def resident_caller(holder: TokenHolder) -> str:
    """The owner of a resident's idempotency keys: the registration, so every device of one
    resident shares them and two residents never collide (ADR 0074)."""
    return f"resident:{holder.registration_key}"


async def resident_once(
    request: AnyRequest,
    portal: Services,
    holder: TokenHolder,
    run: Callable[[], Response[Any]],
    *,
    body: bytes | None = None,
    content_type: str | None = None,
) -> Response[Any]:
    """`run_once` for a resident's call, in a worker thread (`run` runs there too): the
    request's own body unless a `body` standing for it is given (`form_fingerprint`)."""
    if HEADER.lower() not in request.headers:
        return await sync_to_thread(run)  # the body may be read already (a form)
    wiring = portal.service
    assert wiring is not None, "create_app wires the idempotent requests' store"
    if body is None:
        body = await request.body()
    return await sync_to_thread(
        run_once, request, body, wiring.api, resident_caller(holder), run,
        content_type=content_type,
    )  # fmt: skip


MULTIPART = "multipart/form-data"


def form_fingerprint(fields: Sequence[tuple[str, str]], files: Sequence[UploadFile]) -> bytes:
    """What a multipart request says, without the boundary its client drew at random: the
    fields in order, then each file's name, type and SHA-256. An app that builds the retry
    anew (a new boundary) is still sending the same request (ADR 0074). Reads the files:
    call it in a worker thread."""
    parts = [[name, value] for name, value in fields]
    for upload in files:
        digest = hashlib.sha256()
        upload.file.seek(0)
        while chunk := upload.file.read(1 << 20):
            digest.update(chunk)
        upload.file.seek(0)
        parts.append([upload.filename or "", upload.content_type or "", digest.hexdigest()])
    return _ENCODER.encode(parts)
