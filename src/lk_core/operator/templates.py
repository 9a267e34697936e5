"""Service-message templates (F26): plain text with `{fields}` filled in per account.

A template is UTF-8 text. An optional first line `Тема: …` is the e-mail's subject; the
rest is the message body, sent as it is by e-mail and SMS. `{{` and `}}` stand for braces.
See docs/service-messages.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Self

import attrs

from lk_core.operator.errors import TemplateError

FIELDS = {
    "name": "ФИО плательщика",
    "number": "номер лицевого счёта",
    "debt": "долг на конец последнего периода, например «1 234,56 ₽»",
    "address": "адрес: дом и квартира",
    "company": "название управляющей компании",
}
SUBJECT_PREFIX = "Тема:"
DEFAULT_SUBJECT = "Сообщение от {company}"

# A part is literal text, or the name of a field to fill in.
Part = tuple[bool, str]


def _parse_line(line: str, line_number: int, first_column: int) -> list[Part]:
    parts: list[Part] = []
    literal: list[str] = []
    i = 0
    while i < len(line):
        char = line[i]
        if line.startswith("{{", i) or line.startswith("}}", i):
            literal.append(char)
            i += 2
        elif char == "{":
            end = line.find("}", i)
            if end < 0:
                raise TemplateError(line_number, first_column + i, "нет закрывающей скобки «}»")
            name = line[i + 1 : end].strip()
            if name not in FIELDS:
                known = ", ".join(f"{{{field}}}" for field in FIELDS)
                raise TemplateError(
                    line_number, first_column + i, f"неизвестное поле «{{{name}}}»; есть: {known}"
                )
            if literal:
                parts.append((False, "".join(literal)))
                literal = []
            parts.append((True, name))
            i = end + 1
        elif char == "}":
            raise TemplateError(line_number, first_column + i, "лишняя скобка «}» (пишите «}}»)")
        else:
            literal.append(char)
            i += 1
    if literal:
        parts.append((False, "".join(literal)))
    return parts


def _parse_lines(lines: list[tuple[int, str]]) -> tuple[Part, ...]:
    parts: list[Part] = []
    for index, (number, line) in enumerate(lines):
        if index:
            parts.append((False, "\n"))
        parts.extend(_parse_line(line, number, 1))
    return tuple(parts)


def _render(parts: tuple[Part, ...], values: Mapping[str, str]) -> str:
    return "".join(values[text] if is_field else text for is_field, text in parts)


@attrs.frozen
class MessageTemplate:
    """A parsed template: its subject and body, a fingerprint of its source, and the source
    (how a mailing handed to a background worker carries its template)."""

    subject: tuple[Part, ...]
    body: tuple[Part, ...]
    fingerprint: str
    source: str = ""

    @classmethod
    def parse(cls, source: str) -> Self:
        lines = list(enumerate(source.replace("\r\n", "\n").split("\n"), start=1))
        while lines and not lines[0][1].strip():
            lines.pop(0)
        subject = _parse_lines([(0, DEFAULT_SUBJECT)])
        if lines and lines[0][1].startswith(SUBJECT_PREFIX):
            number, line = lines.pop(0)
            column = len(SUBJECT_PREFIX) + 1
            subject = tuple(_parse_line(line[len(SUBJECT_PREFIX) :], number, column))
        while lines and not lines[0][1].strip():
            lines.pop(0)
        while lines and not lines[-1][1].strip():
            lines.pop()
        if not lines:
            raise TemplateError(1, 1, "в шаблоне нет текста сообщения")
        body = _parse_lines(lines)
        fingerprint = hashlib.sha256(source.strip().encode()).hexdigest()[:16]
        return cls(subject, body, fingerprint, source)

    def render_subject(self, values: Mapping[str, str]) -> str:
        return " ".join(_render(self.subject, values).split())

    def render_body(self, values: Mapping[str, str]) -> str:
        return _render(self.body, values)
