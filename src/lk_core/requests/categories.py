"""The categories a request is filed under, each with its deadline, from configuration."""

from __future__ import annotations

import datetime as dt

import attrs

from lk_core.kernel.errors import InvalidValue
from lk_core.requests.calendar import Sla


@attrs.frozen
class Category:
    """A kind of problem (сантехника, лифт, …) and how long its requests may take."""

    code: str
    title: str
    sla: Sla

    def __attrs_post_init__(self) -> None:
        if not self.code.isidentifier() or not self.title:
            raise ValueError(f"a category needs a code and a title: {self.code!r}")


def _default_categories() -> tuple[Category, ...]:
    return (
        Category("plumbing", "Сантехника", Sla(working_hours=8)),
        Category("electrics", "Электрика", Sla(working_hours=8)),
        Category("lift", "Лифт", Sla(working_hours=4)),
        Category("cleaning", "Уборка", Sla(working_days=2)),
        Category("yard", "Двор", Sla(working_days=5)),
        Category("other", "Прочее", Sla(working_days=5)),
    )


@attrs.frozen
class RequestCatalogue:
    """The categories residents choose from, in the order the form shows them.

    An emergency («аварийная») request is due `emergency_deadline` after it is made, by
    the clock and not by the working calendar: the emergency service works around the
    clock (Правила 354, п. 31; Правила 416, п. 13 require a response within 30 minutes).
    """

    categories: tuple[Category, ...] = attrs.field(factory=_default_categories)
    emergency_deadline: dt.timedelta = dt.timedelta(hours=2)

    def __attrs_post_init__(self) -> None:
        codes = [category.code for category in self.categories]
        if not codes or len(set(codes)) != len(codes):
            raise ValueError("categories need distinct codes, at least one")

    def get(self, code: str) -> Category:
        """The category with that code; an unknown one is a form error."""
        for category in self.categories:
            if category.code == code:
                return category
        raise InvalidValue("category", code, "Выберите категорию заявки из списка")

    def title_of(self, code: str) -> str:
        """A category's title; a code configuration has since dropped shows as it is."""
        return next((c.title for c in self.categories if c.code == code), code)
