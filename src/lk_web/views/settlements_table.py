"""The settlements table of the main page (F9) as the text it shows, worked out once.

The template places these: each row's five amount cells come as one piece of markup,
amounts formatted, balances marked as debt or advance, notes attached. Worked out in
the template (a macro per cell, a format call and an escape per amount) they cost more
than the rest of the page together (ADR 0032).
"""

from __future__ import annotations

from html import escape
from typing import NamedTuple

from markupsafe import Markup

from lk_core.kernel.money import Money
from lk_core.ledger.settlements import BalanceKind, ServiceSettlement, SettlementView

COLUMNS = ("Входящее сальдо", "Начислено", "Перерасчёт", "Оплачено", "К оплате")


class Cell(NamedTuple):
    """One amount: its column, its text, and for a balance what it means."""

    label: str
    amount: str
    is_balance: bool = False
    mark: str = ""  # "debt" or "advance": the CSS modifier of the mark
    mark_label: str = ""
    note: str = ""


class Row(NamedTuple):
    """One service: its name, what it was billed by, and its five amounts."""

    name: str
    volume: str
    cells: tuple[Cell, ...]
    service_code: str
    closing_due: str  # the closing balance if it is a debt, else ""


class SettlementsTable(NamedTuple):
    """The rows, and their markup for a desktop's table and a phone's lines, built in one
    pass (ADR 0067: building each from the cells again cost a twentieth of the page)."""

    rows: tuple[Row, ...]
    total: tuple[Cell, ...]
    to_pay: str  # "" when nothing is due
    rows_html: Markup  # the table body's rows: the service (and its volume), its amounts
    total_html: Markup  # the `<td>`s of the total row
    lines_html: Markup  # the phone's list items: a line per service, then the total


def _markup(name: str, volume: str, cells: tuple[Cell, ...]) -> tuple[str, str]:
    """A row's `<td>`s (a desktop's table) and its `<li>` (a phone's one-line row: the
    service and what is to be paid, opening (`<details>`, no script) onto the amounts)."""
    tds = []
    dls = []
    # Labels are constants and amounts digits, spaces, a comma, a minus and ₽: nothing to
    # escape; names, volumes and notes are escaped.
    for label, amount, is_balance, mark, mark_label, note in cells:
        extra = f' <span class="home-mark home-mark-{mark}">{mark_label}</span>' if mark else ""
        if note:
            extra += f'<span class="home-note">{escape(note)}</span>'
        value = f'<span class="home-amount">{amount}</span>' if is_balance else amount
        tds.append(f'<td role="cell"><span class="home-cell-value">{value}{extra}</span></td>')
        dls.append(f"<dt>{label}</dt><dd>{amount}{extra}</dd>")
    if volume:
        dls.append(f"<dt>Объём</dt><dd>{escape(volume.removeprefix('объём '))}</dd>")
    closing = cells[-1]
    due = f"{closing.amount} ({closing.mark_label})" if closing.mark else closing.amount
    line = (
        f'<li><details class="svc"><summary><span class="svc-name">{escape(name)}</span>'
        f' <span class="svc-due">{due}</span></summary>'
        f'<dl class="svc-amounts">{"".join(dls)}</dl></details></li>'
    )
    return "".join(tds), line


def _table(rows: tuple[Row, ...], total: tuple[Cell, ...], to_pay: str) -> SettlementsTable:
    trs = []
    lines = []
    for row in rows:
        tds, line = _markup(row.name, row.volume, row.cells)
        volume = f'<span class="home-note">{escape(row.volume)}</span>' if row.volume else ""
        trs.append(
            '<tr role="row"><th scope="row" role="rowheader" class="home-service">'
            f"{escape(row.name)}{volume}</th>{tds}</tr>"
        )
        lines.append(line)
    total_tds, total_line = _markup("Итого", "", total)
    lines.append(total_line)
    # Built from escaped and constant parts.
    return SettlementsTable(
        rows,
        total,
        to_pay,
        Markup("".join(trs)),  # noqa: S704
        Markup(total_tds),  # noqa: S704
        Markup("".join(lines)),  # noqa: S704
    )


def _balance(label: str, amount: Money, kind: BalanceKind, *, mark_debt: bool) -> Cell:
    # What is due at the end of the month is not called a debt: it is simply to be paid.
    marked = bool(kind.label_ru) and (mark_debt or kind is not BalanceKind.DEBT)
    mark = kind.value if marked else ""
    return Cell(label, amount.format(), True, mark, kind.label_ru if marked else "")


def _row(row: ServiceSettlement) -> Row:
    line = row.line
    volume = row.volume_ru
    if volume and row.unit:
        volume = f"{volume} {row.unit}"
    closing = line.closing
    cells = (
        _balance(COLUMNS[0], line.opening, row.opening_kind, mark_debt=True),
        Cell(COLUMNS[1], line.charged.format()),
        Cell(COLUMNS[2], line.recalculation.format(), note=line.recalculation_reason),
        Cell(COLUMNS[3], line.paid.format()),
        _balance(COLUMNS[4], closing, row.closing_kind, mark_debt=False),
    )
    due = closing.format() if closing.kopecks > 0 else ""
    return Row(row.service_name, f"объём {volume}" if volume else "", cells, line.service_code, due)


def settlements_table(view: SettlementView) -> SettlementsTable | None:
    """The table of the view's period; None when the account has no ledger yet."""
    settlement = view.settlement
    if settlement is None:
        return None
    total = (
        _balance(COLUMNS[0], settlement.opening, view.opening_kind, mark_debt=True),
        Cell(COLUMNS[1], settlement.charged.format()),
        Cell(COLUMNS[2], settlement.recalculation.format()),
        Cell(COLUMNS[3], settlement.paid.format()),
        _balance(COLUMNS[4], settlement.closing, view.closing_kind, mark_debt=False),
    )
    to_pay = settlement.to_pay
    return _table(tuple(_row(row) for row in view.lines), total, to_pay.format() if to_pay else "")
