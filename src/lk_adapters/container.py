"""The composition root: the one place that chooses and wires adapters.

`lk_web` and `lk_cli` both build their objects here and never import each other.
Tests swap a piece with `container.<provider>.override(...)`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import threading
import zoneinfo
from decimal import Decimal

from dependency_injector import containers, providers

from lk_adapters.clock import SystemClock
from lk_adapters.email import configured_mailer
from lk_adapters.passwords import Argon2PasswordHasher, load_common_passwords
from lk_adapters.payments.configured import (
    callback_gate,
    configured_providers,
    demo_acquirer,
    payment_return_url,
)
from lk_adapters.payments.verifier import PaymentVerifier
from lk_adapters.receipts import PdfReceiptRenderer
from lk_adapters.receipts.configured import configured_receipt_store
from lk_adapters.receipts.runner import ProcessReceiptRunner
from lk_adapters.requests_setup import (
    configured_executors,
    photo_processor,
    photo_store,
    request_catalogue,
    request_policy,
    working_calendar,
)
from lk_adapters.sealing import configured_sealer
from lk_adapters.second_factor import PyotpSecondFactor
from lk_adapters.settings import Settings
from lk_adapters.sms import configured_sms_sender
from lk_adapters.sqlalchemy.engine import make_engine
from lk_adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWorkFactory
from lk_adapters.tasks.configured import (
    MonthCloseRunner,
    configured_task_app,
    configured_task_queue,
)
from lk_core.access.app_devices import TokenPolicy
from lk_core.access.context import AccessContext, PortalLinks
from lk_core.access.sessions import SessionPolicy
from lk_core.announcements.context import AnnouncementsContext
from lk_core.home.context import HomeContext
from lk_core.kernel.company import Company
from lk_core.kernel.policies import PasswordPolicy, Policies, ReadingPolicy, RegistrationPolicy
from lk_core.ledger.context import LedgerContext
from lk_core.payments.online_payment import PaymentContext
from lk_core.personal_data.context import PersonalDataContext
from lk_core.readings.context import ReadingsContext
from lk_core.receipts.context import ReceiptsContext
from lk_core.requests.context import RequestsContext
from lk_core.service_api.context import ServiceApiContext
from lk_core.staff.context import StaffContext
from lk_core.staff.sessions import StaffSessionPolicy


def build_policies(settings: Settings) -> Policies:
    """Policies as the core knows them, from their configured values."""
    p = settings.policies
    return Policies(
        password=PasswordPolicy(p.password_min_length, p.password_max_length),
        readings=ReadingPolicy(
            plausibility_factor=Decimal(p.reading_plausibility_factor),
            cutoff_day=p.reading_cutoff_day or None,
            opening_day=p.reading_opening_day or None,
        ),
        registration=RegistrationPolicy(
            accounts_per_email=p.accounts_per_email,
            email_link_lifetime=dt.timedelta(hours=p.email_link_hours),
            reset_link_lifetime=dt.timedelta(minutes=p.reset_link_minutes),
            sms_code_lifetime=dt.timedelta(minutes=p.sms_code_minutes),
            sms_code_attempts=p.sms_code_attempts,
        ),
        receipts_shown=p.receipts_shown,
        payment_due_day=p.payment_due_day,
    )


def build_company(settings: Settings) -> Company:
    """The configured payee; in demo mode without one, the demo company."""
    c = settings.company
    if not c.name and settings.demo:
        from lk_adapters.demo import demo_company

        return demo_company()
    return Company(
        name=c.name,
        inn=c.inn,
        kpp=c.kpp,
        bank_name=c.bank_name,
        bic=c.bic,
        settlement_account=c.settlement_account,
        correspondent_account=c.correspondent_account,
        address=c.address,
        phone=c.phone,
        email=c.email,
        website=c.website,
        time_zone=c.time_zone,
    )


def secret_pepper(settings: Settings) -> bytes:
    """The key for hashing one-time secrets; demo mode derives a fixed, public one."""
    key = settings.secret_key or "demo-mode-only-not-a-secret"
    return hashlib.sha256(("lk-one-time-secrets:" + key).encode()).digest()


def password_hasher(settings: Settings) -> Argon2PasswordHasher:
    """argon2 with at most as many computations at once, over all web processes, as there
    are cores: more would only thrash the caches (each takes 19 MiB) and slow every one."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return Argon2PasswordHasher(parallel=max(1, (cores or 1) // max(1, settings.web_workers)))


def dummy_hash(hasher: Argon2PasswordHasher) -> str:
    """An argon2 hash to verify against when an account has no registration."""
    return hasher.hash(secrets.token_urlsafe(16))


def session_policy(settings: Settings) -> SessionPolicy:
    p = settings.policies
    return SessionPolicy(
        idle=dt.timedelta(minutes=p.session_idle_minutes),
        absolute=dt.timedelta(hours=p.session_absolute_hours),
    )


def staff_session_policy(settings: Settings) -> StaffSessionPolicy:
    p = settings.policies
    return StaffSessionPolicy(
        idle=dt.timedelta(minutes=p.staff_session_idle_minutes),
        absolute=dt.timedelta(hours=p.staff_session_absolute_hours),
    )


def token_policy(settings: Settings) -> TokenPolicy:
    """Lifetimes of the JSON API's tokens (ADR 0061)."""
    return TokenPolicy(
        access=dt.timedelta(minutes=settings.api.access_token_minutes),
        refresh=dt.timedelta(days=settings.api.refresh_token_days),
    )


def build_container(settings: Settings) -> Container:
    """A container for these settings (also how each month-close worker process builds its own)."""
    return Container(settings=settings)


class Container(containers.DeclarativeContainer):
    """Every adapter the edges use, built once from the settings."""

    __self__ = providers.Self()

    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(SystemClock)
    engine = providers.Singleton(make_engine, settings.provided.database_url)
    uow_factory = providers.Singleton(SqlAlchemyUnitOfWorkFactory, engine)
    # The desk's page views are audited through this one: no wait for the disk (ADR 0070).
    views_uow_factory = providers.Singleton(SqlAlchemyUnitOfWorkFactory, engine, durable=False)
    policies = providers.Singleton(build_policies, settings)
    company = providers.Singleton(build_company, settings)
    time_zone = providers.Singleton(zoneinfo.ZoneInfo, settings.provided.company.time_zone)
    pepper = providers.Singleton(secret_pepper, settings)
    hasher = providers.Singleton(password_hasher, settings)
    mailer = providers.Singleton(configured_mailer, settings)
    sms_sender = providers.Singleton(configured_sms_sender, settings)
    # --- receipts and month close (F11, F22) ---
    receipt_store = providers.Singleton(configured_receipt_store, settings)
    receipt_renderer = providers.Singleton(PdfReceiptRenderer)
    receipt_runner = providers.Factory(
        ProcessReceiptRunner,
        providers.Object(build_container),
        settings,
        settings.provided.receipts.workers,
    )
    readings = providers.Singleton(
        ReadingsContext,
        uow_factory=uow_factory,
        clock=clock,
        policy=policies.provided.readings,
        time_zone=settings.provided.company.time_zone,
    )
    ledger = providers.Singleton(LedgerContext, uow_factory=uow_factory)
    receipts = providers.Singleton(
        ReceiptsContext, uow_factory=uow_factory, shown=policies.provided.receipts_shown
    )
    access = providers.Singleton(
        AccessContext,
        uow_factory=uow_factory,
        clock=clock,
        hasher=hasher,
        policies=policies,
        pepper=pepper,
        links=providers.Singleton(PortalLinks, settings.provided.base_url),
        company_name=company.provided.name,
        common_passwords=providers.Callable(load_common_passwords),
        dummy_hash=providers.Singleton(dummy_hash, hasher),
        sessions=providers.Singleton(session_policy, settings),
        tokens=providers.Singleton(token_policy, settings),
        time_zone=settings.provided.company.time_zone,
    )
    home = providers.Singleton(HomeContext, access=access, uow_factory=uow_factory)
    personal_data = providers.Singleton(PersonalDataContext, access=access, uow_factory=uow_factory)
    # --- payments (F12, F24) ---
    payment_providers = providers.Singleton(configured_providers, settings)
    demo_acquirer = providers.Singleton(demo_acquirer, settings)
    # Rung when a notification is stored, so that this process's verifier starts at once.
    verification_bell = providers.Singleton(threading.Event)
    payments = providers.Singleton(
        PaymentContext,
        uow_factory=uow_factory,
        clock=clock,
        providers=payment_providers,
        return_url=providers.Singleton(payment_return_url, settings),
        callback_gate=providers.Singleton(callback_gate, settings),
        notified=verification_bell.provided.set,
    )
    payment_verifier = providers.Singleton(
        PaymentVerifier,
        payments,
        bell=verification_bell,
        workers=settings.provided.payments.verify_workers,
    )
    # --- staff's desk (F32) and announcements (F31) ---
    sealer = providers.Singleton(configured_sealer, settings)
    staff = providers.Singleton(
        StaffContext,
        uow_factory=uow_factory,
        clock=clock,
        hasher=hasher,
        second_factor=providers.Singleton(PyotpSecondFactor),
        sealer=sealer,
        passwords=policies.provided.password,
        common_passwords=access.provided.common_passwords,
        dummy_hash=access.provided.dummy_hash,
        issuer=company.provided.name,
        sessions=providers.Singleton(staff_session_policy, settings),
        time_zone=settings.provided.company.time_zone,
    )
    announcements = providers.Singleton(
        AnnouncementsContext,
        uow_factory=uow_factory,
        clock=clock,
        company_name=company.provided.name,
        time_zone=settings.provided.company.time_zone,
    )
    # --- background tasks (ADR 0057): procrastinate on PostgreSQL, in process on SQLite ---
    task_app = providers.Singleton(configured_task_app, settings.provided.database_url, __self__)
    task_queue = providers.Singleton(configured_task_queue, task_app, __self__)
    month_close_runner = providers.Factory(MonthCloseRunner, task_queue, receipt_runner)
    # --- service API: API keys and idempotent requests (F28) ---
    service_api = providers.Singleton(ServiceApiContext, uow_factory=uow_factory, clock=clock)
    # --- service requests (F30, ADR 0063) ---
    photo_store = providers.Singleton(photo_store, settings)
    requests = providers.Singleton(
        RequestsContext,
        uow_factory=uow_factory,
        clock=clock,
        photo_store=photo_store,
        photo_processor=providers.Singleton(photo_processor, settings),
        catalogue=providers.Singleton(request_catalogue, settings),
        executors=providers.Singleton(configured_executors, settings),
        calendar=providers.Singleton(working_calendar, settings),
        policy=providers.Singleton(request_policy, settings),
        company_name=company.provided.name,
    )
