"""payments: errors."""

from __future__ import annotations

from lk_core.kernel.errors import DomainError


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


class StatusChangeRefused(DomainError):
    """A payment order may only go from pending to succeeded or canceled, once."""

    code = "status_change_refused"

    def __init__(self, order_id: str, current: str, wanted: str) -> None:
        super().__init__(f"Статус платежа {order_id} нельзя изменить с «{current}» на «{wanted}»")
        self.order_id = order_id
        self.current = current
        self.wanted = wanted
