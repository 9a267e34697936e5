"""Devices of the JSON API and their refresh tokens, kept in memory."""

from __future__ import annotations

import datetime as dt

import attrs

from lk_adapters.memory.store import InMemoryStore
from lk_core.access.app_devices import AppDevice, RefreshToken


class InMemoryAppDevices:
    """Devices by id, refresh tokens by hash."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store

    def add(self, device: AppDevice) -> None:
        if device.id in self._store.app_devices:
            raise KeyError("a device with this id is already stored")
        self._store.app_devices[device.id] = device

    def get(self, device_id: str) -> AppDevice | None:
        return self._store.app_devices.get(device_id)

    def of_registration(self, registration_key: str) -> list[AppDevice]:
        found = [
            device
            for device in self._store.app_devices.values()
            if device.registration_key == registration_key and not device.is_revoked
        ]
        return sorted(found, key=lambda d: (d.last_used_at, d.id), reverse=True)

    def touch(self, device_id: str, at: dt.datetime) -> None:
        if (device := self._store.app_devices.get(device_id)) is not None:
            self._store.app_devices[device_id] = attrs.evolve(device, last_used_at=at)

    def revoke(self, device_id: str, at: dt.datetime) -> bool:
        device = self._store.app_devices.get(device_id)
        if device is None or device.is_revoked:
            return False
        self._store.app_devices[device_id] = attrs.evolve(device, revoked_at=at)
        return True

    def revoke_of_registration(
        self, registration_key: str, keep_id: str | None, at: dt.datetime
    ) -> list[str]:
        doomed = [
            device.id for device in self.of_registration(registration_key) if device.id != keep_id
        ]
        for device_id in doomed:
            self.revoke(device_id, at)
        return sorted(doomed)

    def add_refresh_token(self, token: RefreshToken) -> None:
        if token.token_hash in self._store.refresh_tokens:
            raise KeyError("a refresh token with this hash is already stored")
        self._store.refresh_tokens[token.token_hash] = token

    def refresh_token(self, token_hash: str) -> RefreshToken | None:
        return self._store.refresh_tokens.get(token_hash)

    def delete_ended(self, now: dt.datetime) -> int:
        tokens, devices = self._store.refresh_tokens, self._store.app_devices
        for ended in [h for h, token in tokens.items() if token.expires_at <= now]:
            del tokens[ended]
        live = {token.device_id for token in tokens.values()}
        doomed = {d.id for d in devices.values() if d.is_revoked or d.id not in live}
        for token_hash in [h for h, token in tokens.items() if token.device_id in doomed]:
            del tokens[token_hash]
        for device_id in doomed:
            del devices[device_id]
        return len(doomed)

    def use_refresh_token(self, token_hash: str, at: dt.datetime) -> bool:
        token = self._store.refresh_tokens.get(token_hash)
        if token is None or token.used_at is not None:
            return False
        self._store.refresh_tokens[token_hash] = attrs.evolve(token, used_at=at)
        return True
