"""The staff's TOTP keys sealed at rest, one-time enrolment codes, recovery codes (ADR 0072).

Existing keys are encrypted on the way up and decrypted on the way down, by the sealer in
`config.attributes["secret_sealer"]` or else the one configured from the environment
(`LK_SECRET_KEY`, `LK_PREVIOUS_SECRET_KEYS`), built only if there is a key to convert.
Staff sessions are ended: a half-done sign-in of the old flow cannot go on in the new one.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import sqlalchemy as sa
from alembic import context, op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


class _Sealer(Protocol):
    def seal(self, secret: str) -> str: ...

    def unseal(self, sealed: str) -> str | None: ...


def _sealer() -> _Sealer:
    given: _Sealer | None = context.config.attributes.get("secret_sealer")
    if given is not None:
        return given
    from lk_adapters.sealing import configured_sealer
    from lk_adapters.settings import load_settings

    return configured_sealer(load_settings())


_members = sa.table(
    "staff_members", sa.column("login", sa.String), sa.column("totp_secret", sa.String)
)


def _convert_secrets(convert: Callable[[_Sealer, str], str]) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_members.c.login, _members.c.totp_secret).where(
            _members.c.totp_secret.is_not(None)
        )
    ).all()
    if not rows:
        return
    sealer = _sealer()
    for login, secret in rows:
        connection.execute(
            _members.update()
            .where(_members.c.login == login)
            .values(totp_secret=convert(sealer, secret))
        )


def _unsealed(sealer: _Sealer, sealed: str) -> str:
    secret = sealer.unseal(sealed)
    if secret is None:
        raise RuntimeError(
            "a staff member's TOTP key does not open with LK_SECRET_KEY nor "
            "LK_PREVIOUS_SECRET_KEYS: set the key it was sealed with to downgrade"
        )
    return secret


def upgrade() -> None:
    op.execute(sa.text("DELETE FROM staff_sessions"))
    with op.batch_alter_table("staff_sessions") as batch:
        batch.add_column(sa.Column("enrolling", sa.Boolean(), nullable=False))
    with op.batch_alter_table("staff_members") as batch:
        batch.alter_column(
            "totp_secret", type_=sa.String(255), existing_type=sa.String(64), existing_nullable=True
        )
        batch.add_column(sa.Column("enrolment_code_hash", sa.String(64), nullable=True))
        batch.add_column(
            sa.Column("enrolment_expires_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "staff_recovery_codes",
        sa.Column("login", sa.String(32), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["login"],
            ["staff_members.login"],
            name=op.f("fk_staff_recovery_codes_login_staff_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("login", "code_hash", name=op.f("pk_staff_recovery_codes")),
    )
    _convert_secrets(lambda sealer, secret: sealer.seal(secret))


def downgrade() -> None:
    _convert_secrets(_unsealed)
    op.drop_table("staff_recovery_codes")
    with op.batch_alter_table("staff_members") as batch:
        batch.drop_column("enrolment_expires_at")
        batch.drop_column("enrolment_code_hash")
        batch.alter_column(
            "totp_secret", type_=sa.String(64), existing_type=sa.String(255), existing_nullable=True
        )
    with op.batch_alter_table("staff_sessions") as batch:
        batch.drop_column("enrolling")
