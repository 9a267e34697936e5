"""schemathesis (4.x) against the service API with a key of every scope: each service
operation, positive and negative data, with 0 server errors and 0 answers that break the
OpenAPI document (issue 19 §5)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from access_fixtures import IVANOV
from lk_core.service_api import Scope
from personal_site import Site
from service_api_fixtures import a_key, service_site

pytestmark = pytest.mark.slow

EXAMPLES = 25
# Valid requests, and requests that break the document (each must be refused, never a 500).
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    yield from service_site(tmp_path_factory.mktemp("service_fuzz"))


def test_every_service_operation_answers_within_its_document(site: Site) -> None:
    key = a_key(site, *Scope, name="fuzz")
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", site.app)
    operations = [
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().path.startswith("/api/v1/service/")
    ]
    failures: list[str] = []
    calls: list[str] = []

    for operation, mode in itertools.product(operations, MODES):

        @given(case=operation.as_strategy(mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def call(case: schemathesis.Case) -> None:
            if "number" in (case.path_parameters or {}):
                # Mostly a real account, so that more than the 404 is reached.
                case.path_parameters["number"] = IVANOV
            case.call_and_validate(headers={"X-Api-Key": key}, checks=CHECKS)
            calls.append(case.operation.label)

        try:
            call()
        except Exception as error:
            failures.append(f"{operation.label} ({mode.value}): {error}"[:3000])

    assert len(operations) == 5
    assert set(calls) == {operation.label for operation in operations}
    assert not failures, "\n\n".join(failures)
