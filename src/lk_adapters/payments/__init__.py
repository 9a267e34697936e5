"""Payment services (F12): redirect-only links and YooKassa's acquiring API."""

from lk_adapters.payments.acquirer_book import AcquirerBook
from lk_adapters.payments.configured import configured_providers
from lk_adapters.payments.redirect import RedirectProvider
from lk_adapters.payments.yookassa import YooKassaProvider

__all__ = ["AcquirerBook", "RedirectProvider", "YooKassaProvider", "configured_providers"]
