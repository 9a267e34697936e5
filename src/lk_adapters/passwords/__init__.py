"""Password hashing (argon2id) and the list of passwords too common to allow."""

from lk_adapters.passwords.argon2_hasher import Argon2PasswordHasher
from lk_adapters.passwords.common import load_common_passwords

__all__ = ["Argon2PasswordHasher", "load_common_passwords"]
