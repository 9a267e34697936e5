"""The main page's summary (ADR 0067) as the markup it shows, worked out in Python.

Rendered by the template it cost about a fifth of the page's rendering (a dozen branches,
attribute look-ups and format calls through Jinja); here it is a few f-strings. The texts
are the same; `tests/unit/test_main_page_summary_view.py` holds them.
"""

from __future__ import annotations

from markupsafe import Markup

from lk_core.home.summary import HomeSummary, ReadingsWindow, WindowState
from lk_core.kernel.periods import Period
from lk_core.ledger.settlements import BalanceKind

ZERO = "0,00&nbsp;₽"


def _meters_ru(count: int) -> str:
    return "счётчику" if count % 10 == 1 and count % 100 != 11 else "счётчикам"


def _pay_card(s: HomeSummary, latest_receipt: Period | None) -> str:
    # Amounts are digits, spaces, a comma, a minus and ₽; periods' labels are constants.
    period = s.period
    title = f"К оплате за {period.label_ru}" if period is not None else "К оплате"
    to_pay = s.to_pay
    if period is None:
        amount, note = ZERO, '<p class="summary-note">Начислений пока нет.</p>'
    elif s.kind is BalanceKind.DEBT:
        amount = to_pay.format()
        note = f'<p class="summary-note">Оплатить <strong>{s.due_ru}</strong></p>' if s.due else ""
    elif s.kind is BalanceKind.ADVANCE:
        amount = ZERO
        note = (
            f'<p class="summary-note">Переплата (аванс) <strong>{s.advance.format()}</strong>:'
            " пойдёт в счёт следующих начислений.</p>"
        )
    else:
        amount, note = ZERO, '<p class="summary-note">Всё оплачено, долга нет.</p>'
    pay = f"Оплатить {to_pay.format()}" if to_pay.kopecks else "Оплатить"
    receipt = (
        f'<p class="summary-receipt"><a href="/receipts/{latest_receipt}" target="_blank"'
        f' rel="noopener">Квитанция за {latest_receipt.label_ru} <span class="receipt-note">'
        "(PDF, в новой вкладке)</span></a></p>"
        if latest_receipt is not None
        else ""
    )
    return (
        '<section class="card summary-pay" aria-labelledby="summary-pay-title">'
        f'<h2 id="summary-pay-title">{title}</h2>'
        f'<p class="summary-amount">{amount}</p>{note}'
        f'<p class="summary-actions"><a class="button" href="/pay">{pay}</a></p>{receipt}'
        "</section>"
    )


def _window_ru(w: ReadingsWindow) -> str:
    state = w.state
    if state is WindowState.OPEN:
        return f"Передайте показания <strong>{w.span_ru}</strong>"
    if state is WindowState.BEFORE:
        return f"Приём показаний за {w.period.label_ru} — <strong>{w.span_ru}</strong>"
    if state is WindowState.CLOSED:
        return (
            f"Приём показаний закрыт до <strong>{w.next_opens_ru}</strong>. За"
            f" {w.period.label_ru} их уже не принимают; переданные сейчас войдут в расчёт"
            f" за {w.period.next().label_ru}."
        )
    return "Показания принимаются в любой день месяца."


def _readings_card(w: ReadingsWindow) -> str:
    if w.meters:
        secondary = " button-secondary" if w.meters_read == w.meters else ""
        meters = (
            f'<p class="summary-note">За {w.period.label_ru} переданы по'
            f" <strong>{w.meters_read} из {w.meters}</strong> {_meters_ru(w.meters)}</p>"
            f'<p class="summary-actions"><a class="button{secondary}" href="/readings">'
            "Передать показания</a></p>"
        )
    else:
        meters = '<p class="summary-note">Приборов учёта по этому лицевому счёту нет.</p>'
    return (
        '<section class="card summary-readings" aria-labelledby="summary-readings-title">'
        '<h2 id="summary-readings-title">Показания счётчиков</h2>'
        f'<p class="summary-window">{_window_ru(w)}</p>{meters}</section>'
    )


def summary_html(summary: HomeSummary, latest_receipt: Period | None) -> Markup:
    """The two cards: what to pay and by when; the readings window and meters read."""
    html = (
        f'<div class="summary">{_pay_card(summary, latest_receipt)}'
        f"{_readings_card(summary.readings)}</div>"
    )
    return Markup(html)  # noqa: S704 (constants, numbers, dates and periods' labels)
