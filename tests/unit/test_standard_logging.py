"""Libraries that log through the standard `logging` write the same JSON lines as ours."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from lk_adapters.logging import configure_logging


@pytest.fixture
def json_logging() -> Iterator[None]:
    saved = structlog.get_config()
    handlers = list(logging.getLogger().handlers)
    configure_logging(terminal=False)
    yield
    structlog.configure(**saved)
    logging.getLogger().handlers = handlers


def test_a_librarys_warning_is_a_json_line_with_its_logger_and_level(
    json_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    logging.getLogger("botocore.retries").warning("retrying %s", "PutObject")

    line = json.loads(capsys.readouterr().err.splitlines()[-1])
    assert line["event"] == "retrying PutObject"
    assert line["logger"] == "botocore.retries"
    assert line["level"] == "warning"
    assert "timestamp" in line


def test_configuring_again_keeps_one_line_per_record(
    json_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(terminal=False)  # every web process's app and the command both call it
    logging.getLogger("uvicorn.error").warning("Invalid HTTP request received.")

    assert len(capsys.readouterr().err.splitlines()) == 1
