"""What the personal data use cases are given."""

from __future__ import annotations

import attrs

from lk_core.access.context import AccessContext
from lk_core.kernel.transaction import UnitOfWorkFactory
from lk_core.personal_data.ports import PersonalDataUnitOfWork


@attrs.frozen
class PersonalDataContext:
    """Access (the signed-in session and its accounts), and storage with houses too."""

    access: AccessContext
    uow_factory: UnitOfWorkFactory[PersonalDataUnitOfWork]
