"""Provider callbacks are listened to only from the provider's published addresses, and
no more often than a limit per address; refusing one costs nothing (ADR 0053)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from company_env import A_COMPANY
from lk_adapters.payments.configured import callback_networks
from lk_adapters.payments.yookassa import NOTIFICATION_SOURCES
from lk_adapters.settings import load_settings
from lk_core.kernel.errors import InvalidValue
from lk_core.payments.callback_gate import (
    LOOPBACK,
    TRACKED_SOURCES,
    Admission,
    CallbackGate,
    parse_networks,
)

YOOKASSA = parse_networks(NOTIFICATION_SOURCES)


@pytest.mark.parametrize(
    "address",
    ["185.71.76.0", "185.71.76.31", "185.71.77.10", "77.75.153.127", "77.75.156.11",
     "77.75.156.35", "77.75.154.200", "2a02:5180::1", "::ffff:185.71.76.5"],
)  # fmt: skip
def test_yookassas_published_addresses_are_admitted(address: str) -> None:
    assert CallbackGate(YOOKASSA).admit(address, 0.0) is Admission.ADMITTED


@pytest.mark.parametrize(
    "address",
    ["185.71.76.32", "77.75.156.12", "77.75.154.127", "127.0.0.1", "10.0.0.1", "2a02:5181::1",
     "", "testclient", "185.71.76.5, 127.0.0.1"],
)  # fmt: skip
def test_other_addresses_are_foreign(address: str) -> None:
    assert CallbackGate(YOOKASSA).admit(address, 0.0) is Admission.FOREIGN


def test_loopback_is_admitted_only_when_listed() -> None:
    demo = CallbackGate(YOOKASSA + parse_networks(LOOPBACK))

    assert demo.admit("127.0.0.1", 0.0) is Admission.ADMITTED
    assert demo.admit("::1", 0.0) is Admission.ADMITTED


def test_a_gate_with_no_networks_admits_nothing() -> None:
    assert CallbackGate().admit("127.0.0.1", 0.0) is Admission.FOREIGN


def test_an_address_is_held_to_its_rate_and_recovers_as_time_passes() -> None:
    gate = CallbackGate(YOOKASSA, per_minute=60)

    burst = [gate.admit("185.71.76.5", 0.0) for _ in range(61)]
    assert burst[:60] == [Admission.ADMITTED] * 60
    assert burst[60] is Admission.THROTTLED
    assert gate.admit("185.71.77.5", 0.0) is Admission.ADMITTED  # another address
    assert gate.admit("185.71.76.5", 0.5) is Admission.THROTTLED
    assert gate.admit("185.71.76.5", 1.0) is Admission.ADMITTED
    assert gate.admit("185.71.76.5", 1.0) is Admission.THROTTLED


@given(st.lists(st.floats(min_value=0, max_value=600), min_size=1, max_size=400))
def test_no_address_gets_more_than_its_rate_plus_one_burst(moments: list[float]) -> None:
    gate = CallbackGate(YOOKASSA, per_minute=30)
    moments.sort()

    admitted = [t for t in moments if gate.admit("185.71.76.5", t) is Admission.ADMITTED]

    span = moments[-1] - moments[0]
    assert len(admitted) <= 30 + span * 30 / 60 + 1e-9


def test_foreign_addresses_are_not_remembered_and_the_remembered_are_bounded() -> None:
    gate = CallbackGate(parse_networks(["10.0.0.0/8"]))
    for n in range(TRACKED_SOURCES + 10):
        gate.admit(f"10.0.{n // 256}.{n % 256}", 0.0)
    for n in range(100):
        gate.admit(f"192.168.0.{n}", 0.0)

    assert len(gate._buckets) == TRACKED_SOURCES


def test_a_network_list_that_is_not_cidr_is_refused() -> None:
    with pytest.raises(InvalidValue, match="не адрес и не сеть CIDR"):
        parse_networks(["185.71.76.0/27", "yookassa.ru"])


def test_by_default_callbacks_come_from_yookassa_and_in_demo_mode_from_loopback_too() -> None:
    production = load_settings({**A_COMPANY, "LK_SECRET_KEY": "k" * 40})
    demo = load_settings({"LK_DEMO": "1"})

    assert callback_networks(production) == YOOKASSA
    assert callback_networks(demo) == YOOKASSA + parse_networks(LOOPBACK)


def test_configured_sources_replace_the_default_and_may_name_yookassas() -> None:
    settings = load_settings(
        {"LK_DEMO": "1", "LK_PAYMENTS_CALLBACK_SOURCES": "10.1.2.3, yookassa\n192.168.0.0/24"}
    )

    assert callback_networks(settings) == (
        *parse_networks(["10.1.2.3/32"]),
        *YOOKASSA,
        *parse_networks(["192.168.0.0/24"]),
    )
