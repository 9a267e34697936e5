"""Payments (F12, F24): payment orders through a provider, crediting a verified
payment exactly once, and bank payment registries. Use cases take a `PaymentContext`.

Everything in `__all__` is public (see `docs/embedding.md` on versioning); other modules
and names are internal.
"""

from __future__ import annotations

from lk_core.payments.callback_gate import Admission, CallbackGate, parse_networks
from lk_core.payments.crediting import Decision, Effect, PaymentNews, decide
from lk_core.payments.errors import (
    DuplicateProviderPayment,
    PaymentMismatch,
    ProviderUnavailable,
    StatusChangeRefused,
)
from lk_core.payments.online_payment import (
    HISTORY_LENGTH,
    RECENT_ORDERS,
    PaymentChoice,
    PaymentContext,
    PaymentForm,
    PaymentHistory,
    confirm_from_provider,
    order_of,
    payment_choice,
    payment_history,
    recent_orders,
    start_payment,
    store_decision,
)
from lk_core.payments.orders import (
    ALLOWED_CHANGES,
    MAX_ORDER,
    OrderStatus,
    PaymentOrder,
    ProviderStart,
)
from lk_core.payments.payment import Payment, PaymentChannel
from lk_core.payments.pending_verification import PendingVerification
from lk_core.payments.ports import (
    PaymentOrderRepository,
    PaymentProvider,
    PaymentRepository,
    PaymentsUnitOfWork,
    PaymentVerificationRepository,
    RegistryLineRepository,
)
from lk_core.payments.registry import RegistryLine, RegistryOutcome
from lk_core.payments.registry_import import (
    Reconciliation,
    RegistryEntry,
    RegistryRejected,
    RegistryReport,
    import_registry,
    reconcile,
)
from lk_core.payments.verification import (
    VerificationOutcome,
    Verified,
    record_notification,
    verification_of,
    verify,
    verify_next,
)

__all__ = [
    "ALLOWED_CHANGES",
    "HISTORY_LENGTH",
    "MAX_ORDER",
    "RECENT_ORDERS",
    "Admission",
    "CallbackGate",
    "Decision",
    "DuplicateProviderPayment",
    "Effect",
    "OrderStatus",
    "Payment",
    "PaymentChannel",
    "PaymentChoice",
    "PaymentContext",
    "PaymentForm",
    "PaymentHistory",
    "PaymentMismatch",
    "PaymentNews",
    "PaymentOrder",
    "PaymentOrderRepository",
    "PaymentProvider",
    "PaymentRepository",
    "PaymentVerificationRepository",
    "PaymentsUnitOfWork",
    "PendingVerification",
    "ProviderStart",
    "ProviderUnavailable",
    "Reconciliation",
    "RegistryEntry",
    "RegistryLine",
    "RegistryLineRepository",
    "RegistryOutcome",
    "RegistryRejected",
    "RegistryReport",
    "StatusChangeRefused",
    "VerificationOutcome",
    "Verified",
    "confirm_from_provider",
    "decide",
    "import_registry",
    "order_of",
    "parse_networks",
    "payment_choice",
    "payment_history",
    "recent_orders",
    "reconcile",
    "record_notification",
    "start_payment",
    "store_decision",
    "verification_of",
    "verify",
    "verify_next",
]
