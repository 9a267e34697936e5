"""Service-message templates (F26): fields filled in per account, a subject line, braces
escaped; a mistake is reported with its line and column."""

from __future__ import annotations

import pytest

from lk_core.operator.errors import TemplateError
from lk_core.operator.templates import MessageTemplate

VALUES = {
    "name": "Иванов Иван Иванович",
    "number": "100234-А",
    "debt": "1 234,56 ₽",
    "address": "г. Тверь, ул. Советская, д. 1, кв. 12",
    "company": "ООО «УК Пример»",
}


def test_fields_are_filled_in_with_the_accounts_values() -> None:
    template = MessageTemplate.parse("{name}, долг по счёту {number}: {debt}.")

    assert template.render_body(VALUES) == (
        "Иванов Иван Иванович, долг по счёту 100234-А: 1 234,56 ₽."
    )


def test_a_first_line_naming_the_subject_is_the_emails_subject() -> None:
    template = MessageTemplate.parse(
        "Тема: Задолженность по счёту {number}\n\nЗдравствуйте!\nАдрес: {address}\n\n"
    )

    assert template.render_subject(VALUES) == "Задолженность по счёту 100234-А"
    assert template.render_body(VALUES) == (
        "Здравствуйте!\nАдрес: г. Тверь, ул. Советская, д. 1, кв. 12"
    )


def test_without_a_subject_line_the_subject_names_the_company() -> None:
    template = MessageTemplate.parse("Отключение горячей воды 3 июня.")

    assert template.render_subject(VALUES) == "Сообщение от ООО «УК Пример»"


def test_doubled_braces_stand_for_braces() -> None:
    template = MessageTemplate.parse("{{name}} — это {name}")

    assert template.render_body(VALUES) == "{name} — это Иванов Иван Иванович"


@pytest.mark.parametrize(
    ("source", "line", "column", "reason"),
    [
        ("Здравствуйте, {имя}!", 1, 15, "неизвестное поле «{имя}»"),
        ("Тема: долг\n\nДолг {debt", 3, 6, "нет закрывающей скобки"),
        ("Строка\nещё } строка", 2, 5, "лишняя скобка"),
        ("Тема: долг {dept}\nтекст", 1, 12, "неизвестное поле «{dept}»"),
        ("Тема: только тема\n\n", 1, 1, "нет текста"),
    ],
)
def test_a_mistake_is_reported_at_its_line_and_column(
    source: str, line: int, column: int, reason: str
) -> None:
    with pytest.raises(TemplateError) as caught:
        MessageTemplate.parse(source)

    assert (caught.value.line, caught.value.column) == (line, column)
    assert reason in caught.value.reason_ru


def test_the_same_text_has_the_same_fingerprint_and_another_text_another() -> None:
    one = MessageTemplate.parse("Тариф на воду меняется с 1 июля.")

    assert (
        one.fingerprint == MessageTemplate.parse("Тариф на воду меняется с 1 июля.\n").fingerprint
    )
    assert one.fingerprint != MessageTemplate.parse("Тариф на тепло меняется.").fingerprint
