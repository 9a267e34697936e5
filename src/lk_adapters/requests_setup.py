"""The requests capability as configuration describes it: categories, executors, the
working calendar, limits, the photo store and the photo processor (F30, ADR 0063)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lk_adapters.photos import FilesystemPhotoStore, PillowPhotoProcessor
from lk_adapters.receipts.configured import S3_SCHEME
from lk_adapters.settings import Settings
from lk_core.requests.calendar import Sla, WorkingCalendar
from lk_core.requests.categories import Category, RequestCatalogue
from lk_core.requests.executors import ConfiguredExecutors
from lk_core.requests.policy import RequestPolicy
from lk_core.requests.ports import PhotoStore


def request_catalogue(settings: Settings) -> RequestCatalogue:
    """The configured categories (`code|Название|8h` a line), or the default ones."""
    r = settings.requests
    emergency = dt.timedelta(hours=r.emergency_hours)
    lines = [line.strip() for line in r.categories.splitlines() if line.strip()]
    if not lines:
        return RequestCatalogue(emergency_deadline=emergency)
    categories = []
    for line in lines:
        code, title, sla = (part.strip() for part in line.split("|"))
        categories.append(Category(code, title, Sla.parse(sla)))
    return RequestCatalogue(tuple(categories), emergency)


def configured_executors(settings: Settings) -> ConfiguredExecutors:
    """The executors configuration names, one a line (ADR 0069); in demo mode without
    any, the demo company's crews."""
    names = [line.strip() for line in settings.requests.executors.splitlines() if line.strip()]
    if not names and settings.demo:
        from lk_adapters.demo import demo_executors

        return ConfiguredExecutors(demo_executors())
    return ConfiguredExecutors(tuple(names))


def _dates(text: str) -> frozenset[dt.date]:
    words = text.replace(",", " ").split()
    return frozenset(dt.date.fromisoformat(word) for word in words)


def working_calendar(settings: Settings) -> WorkingCalendar:
    """The company's working days and hours, in its time zone."""
    r = settings.requests
    starts, ends = (dt.time.fromisoformat(part.strip()) for part in r.work_day.split("-"))
    return WorkingCalendar(
        time_zone=settings.company.time_zone,
        day_starts=starts,
        day_ends=ends,
        extra_days_off=_dates(r.days_off),
        extra_working_days=_dates(r.working_days),
    )


def request_policy(settings: Settings) -> RequestPolicy:
    r = settings.requests
    return RequestPolicy(
        per_account_per_day=r.per_account_per_day,
        reopen_within=dt.timedelta(days=r.reopen_days),
        photos_per_request=r.photos_per_request,
        photo_max_bytes=r.photo_max_mb * 1024 * 1024,
    )


def photo_store(settings: Settings) -> PhotoStore:
    """Photos in a folder of their own if one is configured; otherwise in the receipts'
    store, under `requests/`: their bucket and prefix (`s3://…`), or their folder."""
    if settings.requests.photo_folder:
        return FilesystemPhotoStore(Path(settings.requests.photo_folder))
    receipts = settings.receipts.store.strip()
    if receipts.startswith(S3_SCHEME):
        # boto3 loads only where it is used, as for the receipts.
        from lk_adapters.photos.s3_store import S3PhotoStore
        from lk_adapters.s3_bucket import S3Access, S3Location

        return S3PhotoStore(S3Location.parse(receipts), S3Access.of(settings.s3))
    return FilesystemPhotoStore(Path(receipts or settings.receipts.folder))


def photo_processor(settings: Settings) -> PillowPhotoProcessor:
    r = settings.requests
    return PillowPhotoProcessor(
        max_bytes=r.photo_max_mb * 1024 * 1024, max_pixels=r.photo_max_megapixels * 1_000_000
    )
