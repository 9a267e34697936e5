"""The argon2id password hasher: OWASP's minimum parameters by default, and a verify that
answers only True or False."""

from __future__ import annotations

import os
import threading
import time

import pytest

from access_fixtures import fast_hasher
from lk_adapters.container import password_hasher
from lk_adapters.passwords import Argon2PasswordHasher
from lk_adapters.settings import load_settings

PASSWORD = "ёлки-палки, лес густой"


def phc_parameters(password_hash: str) -> tuple[str, dict[str, int]]:
    """The variant and the m, t, p of a PHC string `$argon2id$v=19$m=…,t=…,p=…$salt$hash`."""
    _, variant, version, parameters, salt, digest = password_hash.split("$")
    assert version == "v=19"
    assert salt
    assert digest
    pairs = (item.split("=") for item in parameters.split(","))
    return variant, {name: int(value) for name, value in pairs}


def test_the_default_parameters_are_at_least_owasps_minimum() -> None:
    variant, parameters = phc_parameters(Argon2PasswordHasher().hash(PASSWORD))

    assert variant == "argon2id"
    assert parameters["m"] >= 19 * 1024
    assert parameters["t"] >= 2
    assert parameters["p"] >= 1


def test_the_portals_hasher_keeps_at_least_owasps_minimum() -> None:
    hasher = password_hasher(load_settings(environ={"LK_DEMO": "1"}))

    variant, parameters = phc_parameters(hasher.hash(PASSWORD))

    assert variant == "argon2id"
    assert parameters["m"] >= 19 * 1024
    assert parameters["t"] >= 2
    assert parameters["p"] >= 1


def test_a_hash_verifies_its_own_password_and_no_other() -> None:
    hasher = Argon2PasswordHasher()
    password_hash = hasher.hash(PASSWORD)

    assert hasher.verify(password_hash, PASSWORD)
    assert not hasher.verify(password_hash, PASSWORD + " ")
    assert not hasher.verify(password_hash, PASSWORD.upper())


def test_the_same_password_hashes_differently_each_time() -> None:
    hasher = fast_hasher()

    first, second = hasher.hash(PASSWORD), hasher.hash(PASSWORD)

    assert first != second
    assert hasher.verify(first, PASSWORD)
    assert hasher.verify(second, PASSWORD)


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "garbage",
        "$argon2id$v=19$m=19456,t=2,p=1$bad",
        "$2b$12$KIXQJZ0l1y5p8o9H1jv2be7L0xZp2m1QeA0mQm6a9Oe1bZbQfQeW.",
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ],
)
def test_a_garbage_hash_verifies_false_instead_of_raising(garbage: str) -> None:
    assert fast_hasher().verify(garbage, PASSWORD) is False


def test_long_and_unicode_passwords_are_not_truncated() -> None:
    hasher = fast_hasher()
    long_password = "щ" * 1000 + "а"

    password_hash = hasher.hash(long_password)

    assert hasher.verify(password_hash, long_password)
    assert not hasher.verify(password_hash, "щ" * 1000 + "б")


def test_no_more_than_the_allowed_number_of_hashes_run_at_once() -> None:
    hasher = Argon2PasswordHasher(time_cost=1, memory_kib=8, parallelism=1, parallel=2)
    running, most = 0, 0
    lock = threading.Lock()
    inner = hasher._hasher

    class Watched:
        def hash(self, password: str) -> str:
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
            time.sleep(0.02)
            with lock:
                running -= 1
            return inner.hash(password)

    hasher._hasher = Watched()  # type: ignore[assignment]
    threads = [threading.Thread(target=hasher.hash, args=(PASSWORD,)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert most == 2


@pytest.mark.parametrize("workers", [1, 2, 3, 64])
def test_the_web_processes_share_the_cores_for_argon2(workers: int) -> None:
    cores = len(os.sched_getaffinity(0))
    settings = load_settings(environ={"LK_DEMO": "1", "LK_WEB_WORKERS": str(workers)})

    hasher = password_hasher(settings)

    assert hasher.parallel == max(1, cores // workers)
