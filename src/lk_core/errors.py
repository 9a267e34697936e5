"""Every domain error, each carrying the data that explains it and a Russian message.

The web edge maps these to form messages and status codes, the CLI to exit codes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


class DomainError(Exception):
    """A rule of the domain was broken; `message_ru` is what a resident or operator reads."""

    code: str = "domain_error"

    def __init__(self, message_ru: str) -> None:
        super().__init__(message_ru)
        self.message_ru = message_ru


class InvalidValue(DomainError):
    """A value does not have the form its field requires."""

    code = "invalid_value"

    def __init__(self, field: str, value: object, message_ru: str) -> None:
        super().__init__(message_ru)
        self.field = field
        self.value = value


class NotFound(DomainError):
    """The thing asked for does not exist (or is not the asker's to see)."""

    code = "not_found"

    def __init__(self, kind: str, key: object) -> None:
        super().__init__("Не найдено")
        self.kind = kind
        self.key = key


class PeriodClosed(DomainError):
    """The billing period is closed: nothing may be loaded into it any more."""

    code = "period_closed"

    def __init__(self, period_label: str) -> None:
        super().__init__(f"Период {period_label} закрыт: изменения в нём невозможны")
        self.period_label = period_label


class PeriodAlreadyClosed(PeriodClosed):
    """A period that is closed cannot be closed again."""

    code = "period_already_closed"


class LedgerIdentityBroken(DomainError):
    """A ledger line whose stated closing balance disagrees with its parts."""

    code = "ledger_identity_broken"

    def __init__(self, stated_kopecks: int, computed_kopecks: int) -> None:
        super().__init__(
            "Исходящее сальдо не равно входящему сальдо + начислено + перерасчёт − оплачено"
        )
        self.stated_kopecks = stated_kopecks
        self.computed_kopecks = computed_kopecks


# --- meter readings (F13) ---------------------------------------------------------------


class ReadingRejected(DomainError):
    """A submitted meter reading breaks one of the reading rules."""

    code = "reading_rejected"


class ReadingNegative(ReadingRejected):
    code = "reading_negative"

    def __init__(self) -> None:
        super().__init__("Показание не может быть отрицательным")


class ReadingTooManyIntegerDigits(ReadingRejected):
    code = "reading_too_many_integer_digits"

    def __init__(self, max_digits: int) -> None:
        super().__init__(
            f"Показание должно содержать не более {max_digits} "
            f"{_digits_word(max_digits)} до запятой"
        )
        self.max_digits = max_digits


class ReadingTooManyFractionDigits(ReadingRejected):
    code = "reading_too_many_fraction_digits"

    def __init__(self, max_digits: int) -> None:
        if max_digits == 0:
            text = "Показание должно быть целым числом, без знаков после запятой"
        else:
            text = (
                f"Показание должно содержать не более {max_digits} "
                f"{_digits_word(max_digits)} после запятой"
            )
        super().__init__(text)
        self.max_digits = max_digits


class ReadingLessThanPrevious(ReadingRejected):
    code = "reading_less_than_previous"

    def __init__(self, previous: Decimal) -> None:
        shown = format(previous, "f").replace(".", ",")
        super().__init__(f"Показание не может быть меньше предыдущего ({shown})")
        self.previous = previous


class ReadingImplausible(ReadingRejected):
    code = "reading_implausible"

    def __init__(self, consumption: Decimal, limit: Decimal) -> None:
        shown = format(limit, "f").replace(".", ",")
        super().__init__(
            f"Расход слишком велик по сравнению со средним (допустимо не более {shown}). "
            "Проверьте показание или обратитесь в управляющую компанию"
        )
        self.consumption = consumption
        self.limit = limit


class ReadingInFuture(ReadingRejected):
    code = "reading_in_future"

    def __init__(self) -> None:
        super().__init__("Дата показания не может быть в будущем")


class MeterArchived(ReadingRejected):
    code = "meter_archived"

    def __init__(self) -> None:
        super().__init__("Прибор учёта выведен из эксплуатации: показания по нему не принимаются")


class MeterVerificationExpired(ReadingRejected):
    code = "meter_verification_expired"

    def __init__(self, due: dt.date) -> None:
        super().__init__(
            f"Срок поверки прибора учёта истёк {due:%d.%m.%Y}: показания не принимаются. "
            "Обратитесь в управляющую компанию"
        )
        self.due = due


class UnknownTariffZone(ReadingRejected):
    code = "unknown_tariff_zone"

    def __init__(self, zone: str) -> None:
        super().__init__("У этого прибора учёта нет такой тарифной зоны")
        self.zone = zone


class ReadingAlreadyCalculated(ReadingRejected):
    code = "reading_already_calculated"

    def __init__(self, period_label: str) -> None:
        super().__init__(
            f"Показания за {period_label} уже учтены в расчёте: новое значение не принимается"
        )
        self.period_label = period_label


class ReadingConflict(DomainError):
    """Another transaction stored a pending reading of the same meter, zone and period."""

    code = "reading_conflict"

    def __init__(self) -> None:
        super().__init__(
            "Показание по этому прибору учёта только что передано из другого окна. "
            "Обновите страницу и проверьте значение"
        )


# --- registration and secrets (F1–F8) ----------------------------------------------------


class TokenInvalid(DomainError):
    """A link or code is unknown, used, expired or meant for something else."""

    code = "token_invalid"

    def __init__(self, reason: str, message_ru: str) -> None:
        super().__init__(message_ru)
        self.reason = reason


class TooManyAccountsForEmail(DomainError):
    code = "too_many_accounts_for_email"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"На один адрес электронной почты можно зарегистрировать не более {limit} "
            "лицевых счетов"
        )
        self.limit = limit


class PasswordRejected(DomainError):
    """A new password breaks the password policy."""

    code = "password_rejected"


def _digits_word(n: int) -> str:
    """Russian plural of «знак» after a number: 1 знака, 2 знаков … (genitive after «не более»)."""
    return "знака" if n % 10 == 1 and n % 100 != 11 else "знаков"


# --- payments (F12, F24) ------------------------------------------------------------------


class StatusChangeRefused(DomainError):
    """A payment order may only go from pending to succeeded or canceled, once."""

    code = "status_change_refused"

    def __init__(self, order_id: str, current: str, wanted: str) -> None:
        super().__init__(f"Статус платежа {order_id} нельзя изменить с «{current}» на «{wanted}»")
        self.order_id = order_id
        self.current = current
        self.wanted = wanted


class PaymentMismatch(DomainError):
    """What a provider or registry reports disagrees with the order stored before payment."""

    code = "payment_mismatch"

    def __init__(self, order_id: str, what: str) -> None:
        super().__init__(f"Платёж по заказу {order_id} не совпадает с заказом: {what}")
        self.order_id = order_id
        self.what = what


class ProviderUnavailable(DomainError):
    """The payment provider did not answer, or answered with an error."""

    code = "provider_unavailable"

    def __init__(self, provider: str, detail: str) -> None:
        super().__init__(
            f"Платёжный сервис «{provider}» сейчас недоступен. Попробуйте позже "
            "или выберите другой способ оплаты."
        )
        self.provider = provider
        self.detail = detail


class DuplicateProviderPayment(DomainError):
    """A provider's payment id is already attached to another order."""

    code = "duplicate_provider_payment"

    def __init__(self, provider: str, provider_payment_id: str) -> None:
        super().__init__(f"Платёж {provider_payment_id} ({provider}) уже привязан к другому заказу")
        self.provider = provider
        self.provider_payment_id = provider_payment_id
