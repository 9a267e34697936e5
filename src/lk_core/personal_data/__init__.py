"""The personal data tab (F18) and the additional services panel (F10): the account
as billing has it, informing by SMS and e-mail, and e-mail receipts, each with the
resident's consent recorded. Use cases take a `PersonalDataContext` or `AccessContext`.

Everything in `__all__` is public (see `docs/embedding.md` on versioning); other modules
and names are internal.
"""

from __future__ import annotations

from lk_core.personal_data.account_details import PersonalData, personal_data
from lk_core.personal_data.additional_services import (
    AdditionalServicesForm,
    update_additional_services,
)
from lk_core.personal_data.context import PersonalDataContext
from lk_core.personal_data.ports import PersonalDataUnitOfWork

__all__ = [
    "AdditionalServicesForm",
    "PersonalData",
    "PersonalDataContext",
    "PersonalDataUnitOfWork",
    "personal_data",
    "update_additional_services",
]
