"""argon2id (SECURITY.md: at least m=19 MiB, t=2, p=1), with a bound on parallel work."""

from __future__ import annotations

import os
import threading

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2PasswordHasher:
    """Hashes and verifies passwords; at most `parallel` computations run at once, so a
    burst of sign-ins queues instead of exhausting memory (each takes `memory_kib`)."""

    def __init__(
        self,
        *,
        time_cost: int = 2,
        memory_kib: int = 19 * 1024,
        parallelism: int = 1,
        parallel: int | None = None,
    ) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_kib,
            parallelism=parallelism,
            hash_len=32,
            salt_len=16,
            type=Type.ID,
        )
        self.parallel = parallel or os.cpu_count() or 1
        self._slots = threading.BoundedSemaphore(self.parallel)

    def hash(self, password: str) -> str:
        with self._slots:
            return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        with self._slots:
            try:
                return self._hasher.verify(password_hash, password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return False
