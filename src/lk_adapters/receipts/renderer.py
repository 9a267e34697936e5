"""The receipt PDF (F11): the sections of the sample form of Order 43/пр on A4 pages.

Black text and thin rules on white, grey only as a light band behind headings, so the
page prints cleanly in black and white. A receipt overflows onto a second page only when
it has more lines than one page holds. No requisite is ever cut short (Decree 354, p. 69):
a value too long for its place wraps, and its row grows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from lk_adapters.receipts.canvas import Canvas
from lk_adapters.receipts.pdf import A4, template
from lk_adapters.receipts.qr import qr_bits
from lk_core.kernel.money import Money
from lk_core.receipts.receipt import MeterLine, ReceiptDocument

LEFT, RIGHT, TOP, BOTTOM = 28.0, A4[0] - 28.0, 30.0, A4[1] - 30.0
ROW = 10.5
LINE = 8.6  # from one wrapped line of 7.5-point text to the next
QR_SIDE = 118.0


def money(amount: Money) -> str:
    return amount.format(currency=False)


def number(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f").replace(".", ",")


def row_height(lines: int) -> float:
    """A row of one line is ROW high; each wrapped line more adds LINE."""
    return ROW + (max(lines, 1) - 1) * LINE


def _lines(c: Canvas, x: float, y: float, lines: Sequence[str], size: float, bold: bool) -> None:
    """Wrapped lines, the first on the row's baseline `y`."""
    for index, text in enumerate(lines):
        c.text(x, y + index * LINE, text, size, bold=bold)


class _Pages:
    """Canvases of the document, with a cursor that moves to a new page when one is full."""

    def __init__(self) -> None:
        pdf = template()
        self.pages = [Canvas(*pdf.fonts)]
        self.y = TOP

    @property
    def canvas(self) -> Canvas:
        return self.pages[-1]

    def need(self, height: float) -> Canvas:
        if self.y + height > BOTTOM:
            self.pages.append(Canvas(*template().fonts))
            self.y = TOP
        return self.canvas

    def heading(self, text: str) -> None:
        c = self.need(ROW * 3)
        self.y += 6
        c.shade(LEFT, self.y, RIGHT - LEFT, 12)
        c.text(LEFT + 3, self.y + 9, text, 8.5, bold=True)
        self.y += 14


def _table(
    pages: _Pages,
    columns: Sequence[tuple[str, float, bool]],
    rows: Sequence[Sequence[str]],
    *,
    bold_last: bool = False,
) -> None:
    """A table: columns are (title, width, right-aligned); rules under the header and rows.
    A table that runs onto the next page repeats its header there."""

    def header() -> None:
        c = pages.need(ROW * 2)
        x = LEFT
        for title, width, right in columns:
            if right:
                c.right(x + width - 2, pages.y + 8, title, 7, bold=True)
            else:
                c.text(x + 2, pages.y + 8, title, 7, bold=True)
            x += width
        pages.y += ROW
        c.line(LEFT, pages.y, RIGHT, pages.y, 0.6)

    header()
    for index, row in enumerate(rows):
        strong = bold_last and index == len(rows) - 1
        cells = [
            [cell] if right else pages.canvas.wrap(cell, width - 4, 7.5, bold=strong)
            for (_, width, right), cell in zip(columns, row, strict=True)
        ]
        height = row_height(max(len(lines) for lines in cells))
        if pages.y + height > BOTTOM:
            pages.need(ROW + height)
            header()
        c = pages.canvas
        x = LEFT
        for (_, width, right), lines in zip(columns, cells, strict=True):
            if right:
                c.right(x + width - 2, pages.y + 8, lines[0], 7.5, bold=strong)
            else:
                _lines(c, x + 2, pages.y + 8, lines, 7.5, strong)
            x += width
        pages.y += height
        c.line(LEFT, pages.y, RIGHT, pages.y, 0.25)


def _meters(pages: _Pages, meters: Sequence[MeterLine], empty: str) -> None:
    if not meters:
        pages.need(ROW).text(LEFT + 2, pages.y + 8, empty, 7.5)
        pages.y += ROW
        return
    columns = [
        ("Услуга", 150.0, False), ("Прибор учёта №", 110.0, False), ("Зона", 70.0, False),
        ("Ед.", 45.0, False), ("Предыдущее", 80.0, True), ("Текущее", 84.28, True),
    ]  # fmt: skip
    rows = [
        [m.service, m.serial, m.zone, m.unit, number(m.previous), number(m.current)] for m in meters
    ]
    _table(pages, columns, rows)


def _payer(pages: _Pages, d: ReceiptDocument) -> None:
    c = pages.canvas
    c.text(LEFT, pages.y + 10, "ЕДИНЫЙ ПЛАТЁЖНЫЙ ДОКУМЕНТ", 12, bold=True)
    c.right(RIGHT, pages.y + 10, f"за {d.period.label_ru}", 11, bold=True)
    pages.y += 20
    pages.heading("1. Плательщик и исполнитель услуг")
    a, co = d.account, d.company
    left = [
        ("Плательщик", a.payer_name),
        ("Адрес помещения", d.address),
        ("Площадь, м²", number(a.area)),
        ("Проживает, чел.", str(a.residents)),
    ]
    right = [
        ("Исполнитель", co.name),
        ("Адрес", co.address),
        ("Телефон", co.phone),
        ("E-mail, сайт", ", ".join(v for v in (co.email, co.website) if v)),
    ]
    half = (RIGHT - LEFT) / 2
    for (l_label, l_value), (r_label, r_value) in zip(left, right, strict=True):
        bold = l_label == "Плательщик"
        l_lines = c.wrap(l_value, half - 84, 7.5, bold=bold)
        r_lines = c.wrap(r_value, half - 72, 7.5)
        c.text(LEFT + 2, pages.y + 8, l_label, 7)
        _lines(c, LEFT + 80, pages.y + 8, l_lines, 7.5, bold)
        c.text(LEFT + half + 2, pages.y + 8, r_label, 7)
        _lines(c, LEFT + half + 70, pages.y + 8, r_lines, 7.5, False)
        pages.y += row_height(max(len(l_lines), len(r_lines)))


def _payment(pages: _Pages, d: ReceiptDocument) -> None:
    pages.heading("2. Платёжные реквизиты")
    co = d.company
    details = [
        ("Получатель платежа", co.name),
        ("ИНН / КПП", f"{co.inn} / {co.kpp}"),
        ("Расчётный счёт", co.settlement_account),
        ("Банк", co.bank_name),
        ("БИК / корр. счёт", f"{co.bic} / {co.correspondent_account}"),
        ("Лицевой счёт", str(d.account.number)),
        ("Идентификатор ПД", d.document_id),
        ("Расчётный период", d.period.qr_form),
    ]
    width = RIGHT - LEFT - QR_SIDE - 10
    wrapped = [
        (label, pages.canvas.wrap(value, width - 102, 7.5, bold=label == "Лицевой счёт"))
        for label, value in details
    ]
    # Heights from the block's top: the sum box goes under the details, and below the
    # QR code's caption when long details would bring the two together.
    box = sum(row_height(len(lines)) for _, lines in wrapped) + 4
    caption = QR_SIDE + 6
    if box < caption + 2 and box + 22 > caption - 6:
        box = caption + 4
    height = max(QR_SIDE + 10, box + 26)
    c = pages.need(height)
    top = pages.y
    for label, lines in wrapped:
        c.text(LEFT + 2, pages.y + 8, label, 7)
        _lines(c, LEFT + 100, pages.y + 8, lines, 7.5, label == "Лицевой счёт")
        pages.y += row_height(len(lines))
    pages.y = top + box
    c.box(LEFT, pages.y, width, 22, 1)
    c.text(LEFT + 6, pages.y + 14.5, "Сумма к оплате, ₽", 9, bold=True)
    c.right(LEFT + width - 6, pages.y + 15, money(d.to_pay), 13, bold=True)
    c.image(RIGHT - QR_SIDE, top, QR_SIDE)
    c.right(RIGHT, top + caption, "Оплата по QR-коду в приложении банка", 6)
    pages.y = top + height
    pages.heading("Показания индивидуальных приборов учёта (впишите текущие)")
    _meters(pages, d.individual_meters, "Индивидуальных приборов учёта нет.")


def _calculation(pages: _Pages, d: ReceiptDocument) -> None:
    pages.heading("3. Расчёт размера платы за содержание помещения и коммунальные услуги")
    columns = [("Услуга", 150.0, False), ("Ед.", 40.0, False), ("Объём", 55.0, True),
               ("Тариф, ₽", 55.0, True), ("Начислено, ₽", 74.0, True),
               ("Перерасчёт, ₽", 80.0, True), ("Итого, ₽", 85.28, True)]  # fmt: skip
    rows = [
        [line.service, line.unit, number(line.volume), number(line.tariff), money(line.charged),
         money(line.recalculation) if line.recalculation else "", money(line.to_pay)]
        for line in d.lines
    ]  # fmt: skip
    rows.append(["Итого за период", "", "", "", money(d.charged), money(d.recalculation),
                 money(d.charged + d.recalculation)])  # fmt: skip
    _table(pages, columns, rows, bold_last=True)
    opening = "Долг на начало периода" if d.opening.kopecks >= 0 else "Аванс на начало периода"
    summary = [
        (opening, money(Money(abs(d.opening.kopecks)))),
        ("Начислено с учётом перерасчётов", money(d.charged + d.recalculation)),
        ("Оплачено в периоде", money(d.paid)),
        ("Итого к оплате", money(d.to_pay)),
    ]
    if d.closing.is_negative:
        summary.append(("Аванс на конец периода", money(-d.closing)))
    for label, value in summary:
        c = pages.need(ROW)
        strong = label == "Итого к оплате"
        c.text(RIGHT - 280, pages.y + 8, label, 8, bold=strong)
        c.right(RIGHT - 2, pages.y + 8, value, 8, bold=strong)
        pages.y += ROW


def _reference(pages: _Pages, d: ReceiptDocument) -> None:
    pages.heading("4. Справочная информация: показания общедомовых приборов учёта")
    _meters(pages, d.common_meters, "Общедомовых приборов учёта нет.")
    pages.heading("6. Перерасчёты и их основания")
    if not d.recalculations:
        pages.need(ROW).text(LEFT + 2, pages.y + 8, "Перерасчётов в периоде нет.", 7.5)
        pages.y += ROW
        return
    columns = [("Услуга", 150.0, False), ("Сумма, ₽", 80.0, True), ("Основание", 309.28, False)]
    _table(pages, columns, [[r.service, money(r.amount), r.ground] for r in d.recalculations])


SECTIONS: tuple[Callable[[_Pages, ReceiptDocument], None], ...] = (
    _payer, _payment, _calculation, _reference,
)  # fmt: skip


class PdfReceiptRenderer:
    """Renders receipts with the project's own PDF writer (ADR 0021)."""

    def render(self, document: ReceiptDocument) -> bytes:
        pages = _Pages()
        for section in SECTIONS:
            section(pages, document)
        count = len(pages.pages)
        # The running footer repeats the payee only when its name fits whole beside the
        # page number: no name is ever printed cut short.
        regular = pages.canvas.fonts["F1"]
        room = RIGHT - LEFT - regular.width(f"Страница {count} из {count}", 6) - 12
        footer = f"{document.company.name} · ЕПД {document.document_id}"
        if regular.width(footer, 6) > room:
            footer = f"ЕПД {document.document_id}"
        for index, canvas in enumerate(pages.pages, start=1):
            canvas.text(LEFT, BOTTOM + 14, footer, 6)
            canvas.right(RIGHT, BOTTOM + 14, f"Страница {index} из {count}", 6)
        contents = [canvas.content() for canvas in pages.pages]
        return template().document(contents, qr_bits(document.qr_payload))
