"""Devices of the JSON API in `app_devices`, their refresh tokens in `refresh_tokens`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from lk_adapters.sqlalchemy.tables import app_devices as devices
from lk_adapters.sqlalchemy.tables import refresh_tokens as tokens
from lk_core.access.app_devices import AppDevice, RefreshToken


class SqlAlchemyAppDevices:
    """Devices by id, refresh tokens by hash."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, device: AppDevice) -> None:
        self._connection.execute(
            insert(devices).values(
                id=device.id,
                registration_key=device.registration_key,
                name=device.name,
                signed_in_at=device.signed_in_at,
                last_used_at=device.last_used_at,
                revoked_at=device.revoked_at,
            )
        )

    def get(self, device_id: str) -> AppDevice | None:
        row = self._connection.execute(select(devices).where(devices.c.id == device_id)).first()
        return _device(row) if row is not None else None

    def of_registration(self, registration_key: str) -> list[AppDevice]:
        query = (
            select(devices)
            .where(devices.c.registration_key == registration_key, devices.c.revoked_at.is_(None))
            .order_by(devices.c.last_used_at.desc(), devices.c.id.desc())
        )
        return [_device(row) for row in self._connection.execute(query)]

    def touch(self, device_id: str, at: dt.datetime) -> None:
        self._connection.execute(
            update(devices).where(devices.c.id == device_id).values(last_used_at=at)
        )

    def revoke(self, device_id: str, at: dt.datetime) -> bool:
        statement = (
            update(devices)
            .where(devices.c.id == device_id, devices.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return self._connection.execute(statement).rowcount == 1

    def revoke_of_registration(
        self, registration_key: str, keep_id: str | None, at: dt.datetime
    ) -> list[str]:
        condition = [
            devices.c.registration_key == registration_key,
            devices.c.revoked_at.is_(None),
        ]
        if keep_id is not None:
            condition.append(devices.c.id != keep_id)
        doomed = sorted(self._connection.execute(select(devices.c.id).where(*condition)).scalars())
        if doomed:
            self._connection.execute(
                update(devices).where(devices.c.id.in_(doomed)).values(revoked_at=at)
            )
        return doomed

    def add_refresh_token(self, token: RefreshToken) -> None:
        self._connection.execute(
            insert(tokens).values(
                token_hash=token.token_hash,
                device_id=token.device_id,
                issued_at=token.issued_at,
                expires_at=token.expires_at,
                used_at=token.used_at,
            )
        )

    def refresh_token(self, token_hash: str) -> RefreshToken | None:
        query = select(tokens).where(tokens.c.token_hash == token_hash)
        row = self._connection.execute(query).first()
        return _token(row) if row is not None else None

    def delete_ended(self, now: dt.datetime) -> int:
        self._connection.execute(delete(tokens).where(tokens.c.expires_at <= now))
        left = select(tokens.c.device_id).where(tokens.c.device_id == devices.c.id).exists()
        doomed = list(
            self._connection.execute(
                select(devices.c.id).where(devices.c.revoked_at.is_not(None) | ~left)
            ).scalars()
        )
        if doomed:
            self._connection.execute(delete(tokens).where(tokens.c.device_id.in_(doomed)))
            self._connection.execute(delete(devices).where(devices.c.id.in_(doomed)))
        return len(doomed)

    def use_refresh_token(self, token_hash: str, at: dt.datetime) -> bool:
        statement = (
            update(tokens)
            .where(tokens.c.token_hash == token_hash, tokens.c.used_at.is_(None))
            .values(used_at=at)
        )
        return self._connection.execute(statement).rowcount == 1


def _device(row: Row[Any]) -> AppDevice:
    return AppDevice(
        id=row.id,
        registration_key=row.registration_key,
        name=row.name,
        signed_in_at=row.signed_in_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def _token(row: Row[Any]) -> RefreshToken:
    return RefreshToken(
        token_hash=row.token_hash,
        device_id=row.device_id,
        issued_at=row.issued_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
    )
