"""Data printed as it is: text from files and the database is never Rich
markup — a payer named `Ефимов [/] …` crashed `lk accounts find`, `[link=…]` made a
link — nor terminal control: an escape sequence in a name could recolour or clear the
operator's terminal.

Every command hands data to Rich as `literal(…)` (a `Text`, which Rich never parses as
markup), and echoes data through click as `visible(…)`.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 and C1 controls and DEL, but for tab and line break, which lay text out harmlessly.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escaped(found: re.Match[str]) -> str:
    return found[0].encode("unicode_escape").decode("ascii")


def visible(text: str) -> str:
    """The text with each control character written out (`\\x1b`, `\\x00`)."""
    return _CONTROL.sub(_escaped, text)


def literal(value: object) -> Text:
    """A value as Rich shows it literally: in a table cell, a title or a panel."""
    return Text(visible(str(value)))
