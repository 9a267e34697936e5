"""Who an operator is, as the audit log names them."""

from __future__ import annotations

import re

import attrs

from lk_core.kernel.errors import InvalidValue

_NAME = re.compile(r"^[\w.@\-]{1,48}$")


@attrs.frozen
class Operator:
    """An operator of the management company, by login name (from `--operator` or the OS)."""

    name: str
    # "staff" for a member acting from the desk (F32): the audit log names them so.
    kind: str = "operator"

    def __attrs_post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise InvalidValue(
                "operator",
                self.name,
                "Имя оператора — до 48 букв, цифр и знаков «._-@», без пробелов",
            )

    @property
    def actor(self) -> str:
        """The audit log's `actor`: residents are "resident", operators "operator:<name>",
        staff "staff:<login>"."""
        return f"{self.kind}:{self.name}"
