"""API keys: shown once, stored hashed, scoped, revoked at once, every change audited."""

from __future__ import annotations

import datetime as dt

import pytest

from access_fixtures import MovableClock
from lk_adapters.memory import InMemoryUnitOfWorkFactory
from lk_core.access.audit import AuditKind
from lk_core.access.throttling import Throttled
from lk_core.kernel.errors import InvalidValue
from lk_core.operator.operators import Operator
from lk_core.service_api import (
    ApiKeyInvalid,
    ApiKeyNotFound,
    Scope,
    ScopeMissing,
    ServiceApiContext,
    authenticate_api_key,
    create_api_key,
    hash_api_key,
    list_api_keys,
    require_scope,
    revoke_api_key,
)
from lk_core.service_api.key_management import KEY_FAILURES

ANNA = Operator("anna")


@pytest.fixture
def ctx() -> ServiceApiContext:
    return ServiceApiContext(InMemoryUnitOfWorkFactory(), MovableClock())


def test_a_created_key_is_stored_only_as_its_hash(ctx: ServiceApiContext) -> None:
    issued = create_api_key(ctx, ANNA, "billing", frozenset({Scope.READINGS_READ}))

    [stored] = list_api_keys(ctx)
    assert stored.secret_hash == hash_api_key(issued.secret)
    assert issued.secret not in repr(stored)
    assert issued.secret.startswith(f"lk_{stored.id}_")
    assert len(issued.secret) > 40
    assert stored.created_by == "operator:anna"


def test_two_keys_never_share_a_secret_or_an_id(ctx: ServiceApiContext) -> None:
    first = create_api_key(ctx, ANNA, "a", frozenset({Scope.READINGS_READ}))
    second = create_api_key(ctx, ANNA, "b", frozenset({Scope.READINGS_READ}))

    assert first.secret != second.secret
    assert first.key.id != second.key.id


def test_the_secret_authenticates_its_key_and_records_its_use(ctx: ServiceApiContext) -> None:
    issued = create_api_key(ctx, ANNA, "billing", frozenset({Scope.READINGS_READ}))

    key = authenticate_api_key(ctx, issued.secret)

    assert key.id == issued.key.id
    assert list_api_keys(ctx)[0].last_used_at == ctx.clock.now()


def test_last_use_is_written_at_most_once_a_minute(ctx: ServiceApiContext) -> None:
    clock = ctx.clock
    assert isinstance(clock, MovableClock)
    issued = create_api_key(ctx, ANNA, "billing", frozenset({Scope.READINGS_READ}))
    first_use = clock.now()
    authenticate_api_key(ctx, issued.secret)
    clock.advance(seconds=30)
    authenticate_api_key(ctx, issued.secret)
    assert list_api_keys(ctx)[0].last_used_at == first_use

    clock.advance(seconds=31)
    authenticate_api_key(ctx, issued.secret)
    assert list_api_keys(ctx)[0].last_used_at == clock.now()


@pytest.mark.parametrize(
    "presented",
    ["", "Bearer", "lk_", "lk_000000000000_secret", "not a key at all"],
)
def test_anything_but_a_stored_key_is_refused(ctx: ServiceApiContext, presented: str) -> None:
    create_api_key(ctx, ANNA, "billing", frozenset({Scope.READINGS_READ}))

    with pytest.raises(ApiKeyInvalid):
        authenticate_api_key(ctx, presented)


def test_a_right_id_with_a_wrong_secret_is_refused(ctx: ServiceApiContext) -> None:
    issued = create_api_key(ctx, ANNA, "billing", frozenset({Scope.READINGS_READ}))

    with pytest.raises(ApiKeyInvalid):
        authenticate_api_key(ctx, f"lk_{issued.key.id}_{'A' * 43}")


def test_a_revoked_key_is_refused_from_the_next_call_on(ctx: ServiceApiContext) -> None:
    issued = create_api_key(ctx, ANNA, "billing", frozenset({Scope.READINGS_READ}))
    authenticate_api_key(ctx, issued.secret)

    assert revoke_api_key(ctx, ANNA, issued.key.id)

    with pytest.raises(ApiKeyInvalid):
        authenticate_api_key(ctx, issued.secret)
    assert not revoke_api_key(ctx, ANNA, issued.key.id)


def test_revoking_an_unknown_key_says_so(ctx: ServiceApiContext) -> None:
    with pytest.raises(ApiKeyNotFound):
        revoke_api_key(ctx, ANNA, "000000000000")


def test_a_key_may_act_only_in_its_scopes(ctx: ServiceApiContext) -> None:
    issued = create_api_key(
        ctx, ANNA, "billing", frozenset({Scope.READINGS_READ, Scope.READINGS_WRITE})
    )
    key = authenticate_api_key(ctx, issued.secret)

    require_scope(key, Scope.READINGS_READ)
    require_scope(key, Scope.READINGS_WRITE)
    with pytest.raises(ScopeMissing) as refused:
        require_scope(key, Scope.PAYMENTS_WRITE)
    assert refused.value.scope == "payments:write"


def test_scopes_are_read_from_a_list_and_an_unknown_one_is_refused() -> None:
    assert Scope.parse("readings:read, accounts:read") == {
        Scope.READINGS_READ,
        Scope.ACCOUNTS_READ,
    }
    with pytest.raises(InvalidValue):
        Scope.parse("readings:read,everything")
    with pytest.raises(InvalidValue):
        Scope.parse(" , ")


def test_a_key_needs_a_plain_name(ctx: ServiceApiContext) -> None:
    with pytest.raises(InvalidValue):
        create_api_key(ctx, ANNA, "billing\nsystem", frozenset({Scope.READINGS_READ}))
    with pytest.raises(InvalidValue):
        create_api_key(ctx, ANNA, "x" * 65, frozenset({Scope.READINGS_READ}))


def test_creating_and_revoking_are_audited_without_the_secret(ctx: ServiceApiContext) -> None:
    issued = create_api_key(ctx, ANNA, "billing", frozenset({Scope.MESSAGES_WRITE}))
    revoke_api_key(ctx, ANNA, issued.key.id)

    factory = ctx.uow_factory
    assert isinstance(factory, InMemoryUnitOfWorkFactory)
    events = list(factory.store.audit.values())
    assert [e.kind for e in events] == [AuditKind.OPERATOR_ACTION] * 2
    assert all(e.actor == "operator:anna" for e in events)
    details = [dict(e.details) for e in events]
    assert details[0]["command"] == "api-keys create"
    assert details[0]["scopes"] == "messages:write"
    assert details[1] == {
        "command": "api-keys revoke",
        "key_id": issued.key.id,
        "outcome": "revoked",
    }
    assert issued.secret not in repr(events)


def test_the_clock_decides_when_a_key_was_made(ctx: ServiceApiContext) -> None:
    issued = create_api_key(ctx, ANNA, "billing", frozenset({Scope.READINGS_READ}))
    assert issued.key.created_at == ctx.clock.now()
    assert issued.key.created_at.tzinfo is not None
    assert issued.key.created_at.utcoffset() == dt.timedelta(0)


def test_after_thirty_failed_keys_an_address_is_throttled_even_with_a_good_key(
    ctx: ServiceApiContext,
) -> None:
    issued = create_api_key(ctx, ANNA, "billing", frozenset({Scope.READINGS_READ}))
    for _ in range(KEY_FAILURES.count):
        with pytest.raises(ApiKeyInvalid):
            authenticate_api_key(ctx, "lk_000000000000_guess", "203.0.113.9")

    with pytest.raises(Throttled) as throttled:
        authenticate_api_key(ctx, issued.secret, "203.0.113.9")
    assert dt.timedelta(0) < throttled.value.retry_after <= KEY_FAILURES.window
    assert authenticate_api_key(ctx, issued.secret, "198.51.100.1").id == issued.key.id


def test_the_throttle_lifts_when_its_window_is_over(ctx: ServiceApiContext) -> None:
    clock = ctx.clock
    assert isinstance(clock, MovableClock)
    issued = create_api_key(ctx, ANNA, "billing", frozenset({Scope.READINGS_READ}))
    for _ in range(KEY_FAILURES.count):
        with pytest.raises(ApiKeyInvalid):
            authenticate_api_key(ctx, "garbage", "203.0.113.9")

    clock.advance(minutes=10)

    assert authenticate_api_key(ctx, issued.secret, "203.0.113.9").id == issued.key.id


def test_good_keys_are_never_counted_as_failures(ctx: ServiceApiContext) -> None:
    issued = create_api_key(ctx, ANNA, "billing", frozenset({Scope.READINGS_READ}))

    for _ in range(KEY_FAILURES.count + 5):
        authenticate_api_key(ctx, issued.secret, "203.0.113.9")
