"""The company's other systems as callers (F28): API keys with scopes, checked on every
call, idempotent requests, and the reads the service API adds (an account's state for the
call centre). Key and request use cases take a `ServiceApiContext`.

Everything in `__all__` is public (see `docs/embedding.md` on versioning); other modules
and names are internal.
"""

from __future__ import annotations

from lk_core.service_api.account_state import AccountState, CallCentreUnitOfWork, account_state
from lk_core.service_api.api_keys import ApiKey, IssuedKey, Scope, hash_api_key
from lk_core.service_api.context import ServiceApiContext
from lk_core.service_api.errors import (
    ApiKeyInvalid,
    ApiKeyNotFound,
    IdempotencyKeyInProgress,
    IdempotencyKeyInvalid,
    IdempotencyKeyReused,
    ScopeMissing,
)
from lk_core.service_api.idempotency import (
    IDEMPOTENCY_LIFETIME,
    IdempotentRequest,
    StoredAnswer,
    idempotency_key,
    request_fingerprint,
)
from lk_core.service_api.idempotent_requests import (
    answer_request,
    claim_request,
    purge_expired_requests,
    release_request,
)
from lk_core.service_api.key_management import (
    authenticate_api_key,
    create_api_key,
    list_api_keys,
    operator_of,
    require_scope,
    revoke_api_key,
)
from lk_core.service_api.ports import (
    ApiKeyRepository,
    IdempotencyRepository,
    ServiceApiUnitOfWork,
)

__all__ = [
    "IDEMPOTENCY_LIFETIME",
    "AccountState",
    "ApiKey",
    "ApiKeyInvalid",
    "ApiKeyNotFound",
    "ApiKeyRepository",
    "CallCentreUnitOfWork",
    "IdempotencyKeyInProgress",
    "IdempotencyKeyInvalid",
    "IdempotencyKeyReused",
    "IdempotencyRepository",
    "IdempotentRequest",
    "IssuedKey",
    "Scope",
    "ScopeMissing",
    "ServiceApiContext",
    "ServiceApiUnitOfWork",
    "StoredAnswer",
    "account_state",
    "answer_request",
    "authenticate_api_key",
    "claim_request",
    "create_api_key",
    "hash_api_key",
    "idempotency_key",
    "list_api_keys",
    "operator_of",
    "purge_expired_requests",
    "release_request",
    "request_fingerprint",
    "require_scope",
    "revoke_api_key",
]
