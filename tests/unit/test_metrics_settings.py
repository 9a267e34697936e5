"""The metrics are off unless a port is given, on loopback unless told otherwise."""

from __future__ import annotations

import pytest

from lk_adapters.settings import SettingsError, load_settings


def test_metrics_are_off_by_default_and_on_loopback_when_on() -> None:
    assert load_settings({"LK_DEMO": "1"}).metrics.port == 0
    settings = load_settings({"LK_DEMO": "1", "LK_METRICS_PORT": "9464"})
    assert (settings.metrics.host, settings.metrics.port) == ("127.0.0.1", 9464)


def test_a_port_out_of_range_is_named() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"LK_DEMO": "1", "LK_METRICS_PORT": "70000"})
    assert raised.value.problems[0].startswith("LK_METRICS_PORT:")
