"""Creating, listing and revoking API keys (operators, audited per ADR 0030), and checking
a presented key on every call."""

from __future__ import annotations

import datetime as dt
import hmac

from lk_core.access.audit import AuditEvent, AuditKind
from lk_core.access.throttling import Bucket, Limit, Throttled, window_start
from lk_core.operator.operators import Operator
from lk_core.service_api.api_keys import (
    ApiKey,
    IssuedKey,
    Scope,
    hash_api_key,
    issue_api_key,
    key_id_of,
)
from lk_core.service_api.context import ServiceApiContext
from lk_core.service_api.errors import ApiKeyInvalid, ApiKeyNotFound, ScopeMissing


def create_api_key(
    ctx: ServiceApiContext, operator: Operator, name: str, scopes: frozenset[Scope]
) -> IssuedKey:
    """Store a new key and return it with its secret, which is never available again."""
    now = ctx.clock.now()
    issued = issue_api_key(name, scopes, operator.actor, now)
    with ctx.uow_factory() as uow:
        uow.api_keys.add(issued.key)
        uow.audit.record(
            AuditEvent(
                now,
                AuditKind.OPERATOR_ACTION,
                actor=operator.actor,
                details=(
                    ("command", "api-keys create"),
                    ("key_id", issued.key.id),
                    ("name", issued.key.name),
                    ("scopes", " ".join(sorted(s.value for s in issued.key.scopes))),
                ),
            )
        )
        uow.commit()
    return issued


def list_api_keys(ctx: ServiceApiContext) -> list[ApiKey]:
    """Every key, revoked ones too, oldest first (no secrets: only their hashes are kept)."""
    with ctx.uow_factory(read_only=True) as uow:
        return uow.api_keys.list()


def revoke_api_key(ctx: ServiceApiContext, operator: Operator, key_id: str) -> bool:
    """Revoke a key at once; whether it was active until now (revoking twice is harmless)."""
    now = ctx.clock.now()
    with ctx.uow_factory() as uow:
        if uow.api_keys.get(key_id) is None:
            raise ApiKeyNotFound(key_id)
        revoked = uow.api_keys.revoke(key_id, now)
        uow.audit.record(
            AuditEvent(
                now,
                AuditKind.OPERATOR_ACTION,
                actor=operator.actor,
                details=(
                    ("command", "api-keys revoke"),
                    ("key_id", key_id),
                    ("outcome", "revoked" if revoked else "already_revoked"),
                ),
            )
        )
        uow.commit()
    return revoked


# A key cannot be guessed (256 bits), yet SECURITY.md throttles every path that checks a
# secret: failed key checks are counted per client IP and looked at before the key is.
KEY_FAILURES = Limit("api_key.ip", 30, dt.timedelta(minutes=10))


def authenticate_api_key(ctx: ServiceApiContext, raw: str, ip: str = "") -> ApiKey:
    """The active key that `raw` is, or ApiKeyInvalid (Throttled after too many failures
    from `ip`). Read from storage on every call, so a revocation holds from the next
    request on."""
    now = ctx.clock.now()
    failures = Bucket(KEY_FAILURES, ip or "-").name
    window = window_start(now, KEY_FAILURES.window)
    key_id = key_id_of(raw)
    with ctx.uow_factory(read_only=True) as uow:
        if uow.rate_counters.counts([(failures, window)])[0] >= KEY_FAILURES.count:
            raise Throttled(window + KEY_FAILURES.window - now)
        key = uow.api_keys.get(key_id) if key_id is not None else None
    if (
        key is None
        or not key.is_active
        or not hmac.compare_digest(key.secret_hash, hash_api_key(raw))
    ):
        with ctx.uow_factory() as uow:
            uow.rate_counters.hit(failures, window)
            uow.commit()
        raise ApiKeyInvalid
    if key.use_is_worth_writing(now):
        with ctx.uow_factory() as uow:
            uow.api_keys.mark_used(key.id, now)
            uow.commit()
    return key


def operator_of(key: ApiKey) -> Operator:
    """Who the audit log names when a system acts or views through its key (ADR 0030's
    operator actions and views, done by a system instead of a person)."""
    return Operator(f"api-key-{key.id}")


def require_scope(key: ApiKey, scope: Scope) -> None:
    """Raise ScopeMissing unless the key may act in `scope`."""
    if not key.allows(scope):
        raise ScopeMissing(scope.value)
