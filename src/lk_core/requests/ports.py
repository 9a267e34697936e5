"""What the requests capability needs from its surroundings: storage of requests, their
history, comments and photos, a store for the photos' bytes, an image processor, and the
staff members' names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from lk_core.accounts.ports import AccountLookup
from lk_core.kernel.transaction import Transaction
from lk_core.messaging.ports import OutboxRepository
from lk_core.requests.executors import StaffMemberNamed
from lk_core.requests.journal import Comment, HistoryEntry
from lk_core.requests.photos import PhotoUpload, ProcessedPhoto, RequestPhoto
from lk_core.requests.queue import QueueFilter
from lk_core.requests.request import ServiceRequest


class RequestRepository(Protocol):
    """Requests by id, by number, by account, and as the dispatcher's queue."""

    def next_number(self) -> int:
        """A number no request has had, for a request added in this unit of work: larger
        than any before it; numbers may be skipped (a unit of work that does not commit)."""
        ...

    def add(self, request: ServiceRequest) -> None:
        """Store a new request; its number is unique (a taken one is refused)."""
        ...

    def get(self, request_id: str) -> ServiceRequest | None:
        """The request with that id."""
        ...

    def by_number(self, number: int) -> ServiceRequest | None:
        """The request with that number."""
        ...

    def save(self, request: ServiceRequest, read_version: int) -> bool:
        """Store a changed request if it is still at `read_version`; False (storing
        nothing) if another change came first."""
        ...

    def of_account(self, account_key: str) -> list[ServiceRequest]:
        """An account's requests, newest first."""
        ...

    def count_created_since(self, account_key: str, since: dt.datetime) -> int:
        """How many requests an account has made since that moment; until the unit of work
        ends, no other one counts (and so creates) for that account, so a limit checked on
        this count holds against requests made at once."""
        ...

    def queue(self, where: QueueFilter, offset: int, limit: int) -> list[ServiceRequest]:
        """Requests matching the filter in `queue_order`, `limit` of them from `offset`."""
        ...


class RequestJournal(Protocol):
    """Each request's history of changes and its comment thread."""

    def record(self, entry: HistoryEntry) -> None:
        """Append a history entry."""
        ...

    def history(self, request_id: str) -> list[HistoryEntry]:
        """A request's changes, oldest first."""
        ...

    def add_comment(self, comment: Comment) -> None:
        """Append a comment."""
        ...

    def comments(self, request_id: str) -> list[Comment]:
        """A request's comments, oldest first."""
        ...


class RequestPhotoRepository(Protocol):
    """What is known of each request's photos."""

    def add(self, photo: RequestPhoto) -> None:
        """Record a kept photo."""
        ...

    def of_request(self, request_id: str) -> list[RequestPhoto]:
        """A request's photos in the order attached."""
        ...


class StaffList(Protocol):
    """The company's staff members, read to offer the active ones as executors."""

    def all(self) -> Sequence[StaffMemberNamed]:
        """Every member, active or not."""
        ...


class RequestsUnitOfWork(Transaction, Protocol):
    """One transaction over what requests touch: accounts (to find the house and the
    channels a resident chose), the request stores, the outbox for notifications, and
    the staff (executors to choose from)."""

    @property
    def accounts(self) -> AccountLookup: ...

    @property
    def service_requests(self) -> RequestRepository: ...

    @property
    def request_journal(self) -> RequestJournal: ...

    @property
    def request_photos(self) -> RequestPhotoRepository: ...

    @property
    def outbox(self) -> OutboxRepository: ...

    @property
    def staff(self) -> StaffList: ...


class PhotoStore(Protocol):
    """Bytes by key (`photo_key`): a folder, memory or an object store."""

    def put(self, key: str, data: bytes) -> None:
        """Store whole (never half-written), replacing what the key held."""
        ...

    def get(self, key: str) -> bytes | None:
        """What the key holds, if anything."""
        ...

    def delete(self, key: str) -> None:
        """Forget the key; nothing happens if it holds nothing."""
        ...


class PhotoProcessor(Protocol):
    """Checks an upload by its content and re-encodes it (ADR 0064)."""

    def process(self, upload: PhotoUpload) -> ProcessedPhoto:
        """The kept photo and its thumbnail, or `PhotoRejected` saying why not."""
        ...
