"""The schema: plain tables, mapped to domain objects explicitly by the repositories.

Natural keys: an account is keyed by its number's digits, a period by YYYYMM, a service
by its billing code; files from the billing system refer to them as they are.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
    UniqueConstraint,
    literal_column,
    text,
)

from lk_adapters.sqlalchemy.types import ExactDecimal, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

houses = Table(
    "houses",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("address", Text, nullable=False),
    Column("total_area", ExactDecimal(14, 2), nullable=False),
)

services = Table(
    "services",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("unit", String(32), nullable=False, default=""),
    Column("provider", Text, nullable=False, default=""),
)

accounts = Table(
    "accounts",
    metadata,
    Column("key", String(20), primary_key=True),
    Column("letter", String(1), nullable=False, default=""),
    Column("house_code", ForeignKey("houses.code"), nullable=False, index=True),
    Column("payer_name", Text, nullable=False),
    Column("flat", String(64), nullable=False),
    Column("rooms", Integer, nullable=False),
    Column("area", ExactDecimal(10, 2), nullable=False),
    Column("residents", Integer, nullable=False),
    Column("phone", String(16)),
    Column("email", String(254)),
    Column("delivery", String(16), nullable=False, default="paper"),
    Column("sms_informing", Boolean, nullable=False, default=False),
    Column("email_informing", Boolean, nullable=False, default=False),
)

periods = Table(
    "periods",
    metadata,
    Column("code", Integer, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("closed_at", UtcDateTime()),
)

ledger_lines = Table(
    "ledger_lines",
    metadata,
    Column("account_key", ForeignKey("accounts.key"), primary_key=True),
    Column("period", Integer, primary_key=True),
    Column("service_code", ForeignKey("services.code"), primary_key=True),
    Column("opening", BigInteger, nullable=False),
    Column("charged", BigInteger, nullable=False),
    Column("recalculation", BigInteger, nullable=False),
    Column("paid", BigInteger, nullable=False),
    Column("volume", ExactDecimal(18, 6)),
    Column("tariff", ExactDecimal(18, 6)),
    Column("recalculation_reason", Text, nullable=False, default=""),
)

payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("channel", String(16), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("account_key", ForeignKey("accounts.key"), nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("payer", Text, nullable=False, default=""),
    UniqueConstraint("channel", "external_id"),
    Index(None, "account_key", "paid_on"),
)

meters = Table(
    "meters",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("service_code", ForeignKey("services.code"), nullable=False),
    Column("serial", String(64), nullable=False),
    Column("integer_digits", Integer, nullable=False),
    Column("fraction_digits", Integer, nullable=False),
    Column("zones", String(64), nullable=False),
    Column("account_key", ForeignKey("accounts.key"), index=True),
    Column("house_code", ForeignKey("houses.code"), index=True),
    Column("installed_on", Date),
    Column("next_verification_on", Date),
    Column("archived", Boolean, nullable=False, default=False),
)

readings = Table(
    "readings",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("meter_id", ForeignKey("meters.id"), nullable=False),
    Column("zone", String(16), nullable=False),
    Column("period", Integer, nullable=False),
    Column("value", ExactDecimal(24, 6), nullable=False),
    Column("taken_at", UtcDateTime(), nullable=False),
    Column("source", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("rejection_reason", Text, nullable=False, default=""),
    Index(None, "meter_id", "period", "zone"),
    Index(None, "period", "status"),
)

registrations = Table(
    "registrations",
    metadata,
    Column("account_key", ForeignKey("accounts.key"), primary_key=True),
    Column("email", String(254), nullable=False),
    Column("email_key", String(254), nullable=False, index=True),
    Column("password_hash", Text, nullable=False),
    Column("method", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("phone", String(16)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("confirmed_at", UtcDateTime()),
)

one_time_secrets = Table(
    "one_time_secrets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("purpose", String(32), nullable=False),
    Column("subject", String(64), nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("issued_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("attempts_left", Integer, nullable=False),
    Column("payload", Text, nullable=False, default=""),
    Column("used_at", UtcDateTime()),
    Index(None, "subject", "purpose", "issued_at"),
)

consents = Table(
    "consents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account_key", ForeignKey("accounts.key"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("text_version", String(32), nullable=False),
    Column("given", Boolean, nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("ip", String(64), nullable=False, default=""),
    Column("user_agent", Text, nullable=False, default=""),
    Column("address", String(254), nullable=False, default=""),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_seen_at", UtcDateTime(), nullable=False, index=True),
    Column("registration_key", String(20), index=True),
    Column("account_key", String(20)),
    Column("pending_account_key", String(20)),
    # --- JSON API tokens (ADR 0061): an access token is a session of an API device.
    Column("device_id", String(32), index=True),
    Column("expires_at", UtcDateTime()),
)

rate_counters = Table(
    "rate_counters",
    metadata,
    Column("bucket", String(200), primary_key=True),
    Column("window_start", UtcDateTime(), primary_key=True, index=True),
    Column("count", Integer, nullable=False),
)

# Append-only: the repository inserts and reads, never updates or deletes.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("account_key", String(20)),
    Column("ip", String(64), nullable=False, default=""),
    Column("actor", String(64), nullable=False, default="resident"),
    Column("details", Text, nullable=False, default="[]"),
    Index(None, "account_key", "at"),
)

outbox_messages = Table(
    "outbox_messages",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("channel", String(8), nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("subject", Text, nullable=False, default=""),
    Column("text", Text, nullable=False),
    Column("html", Text, nullable=False, default=""),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("last_error", String(500), nullable=False, default=""),
    Column("sent_at", UtcDateTime()),
    Column("lease_until", UtcDateTime()),
    Column("dedupe_key", String(200), unique=True),
    Index(None, "status", "next_attempt_at"),
)

outbox_attachments = Table(
    "outbox_attachments",
    metadata,
    Column("message_id", ForeignKey("outbox_messages.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(127), nullable=False),
    Column("content", LargeBinary, nullable=False),
)

# A link ends with its registration: a later registration of the same account must not
# inherit the accounts its predecessor could see.
linked_accounts = Table(
    "linked_accounts",
    metadata,
    Column(
        "registration_key",
        ForeignKey("registrations.account_key", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("account_key", ForeignKey("accounts.key"), primary_key=True),
    Column("linked_at", UtcDateTime(), nullable=False),
)

# A request to link a registered account, waiting for its owner (ADR 0054); it ends with
# the registration that asked, as its links do.
link_requests = Table(
    "link_requests",
    metadata,
    Column("id", String(32), primary_key=True),
    Column(
        "registration_key",
        ForeignKey("registrations.account_key", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("account_key", ForeignKey("accounts.key"), nullable=False, index=True),
    Column("requested_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("state", String(16), nullable=False),
    Column("decided_at", UtcDateTime(), nullable=True),
)

# --- payments (F12, F24) ---
# A provider's payment id is unique: a repeated callback finds the order it already
# belongs to and cannot attach the same payment to a second order (SECURITY.md).
payment_orders = Table(
    "payment_orders",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("account_key", ForeignKey("accounts.key"), nullable=False),
    Column("provider", String(32), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("service_code", String(32), nullable=False, default=""),
    Column("email", String(254), nullable=False, default=""),
    Column("readings", String(500), nullable=False, default=""),
    Column("status", String(16), nullable=False),
    Column("provider_payment_id", String(128)),
    Column("confirmed_at", UtcDateTime()),
    Column("confirmed_by", String(128), nullable=False, default=""),
    UniqueConstraint("provider", "provider_payment_id"),
    Index(None, "account_key", "created_at"),
    Index(None, "created_at"),
)

# A notification names a payment to ask its provider about; one row per payment however
# many notifications name it, committed before the provider gets its 200 (ADR 0053).
payment_verifications = Table(
    "payment_verifications",
    metadata,
    Column("provider", String(32), primary_key=True),
    Column("provider_payment_id", String(128), primary_key=True),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=False, index=True),
    Column("notices", Integer, nullable=False, default=1),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_problem", String(500), nullable=False, default=""),
)

registry_lines = Table(
    "registry_lines",
    metadata,
    Column("bank", String(32), primary_key=True),
    Column("line_id", String(128), primary_key=True),
    Column("registry", String(255), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("account_key", String(20), nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("order_id", String(64), nullable=False, default=""),
    Column("payer", Text, nullable=False, default=""),
    Column("outcome", String(16), nullable=False),
    Index(None, "paid_on"),
)

# --- meter readings (F13) ---
# At most one pending (accepted, not yet calculated) reading per meter, zone and period:
# two tabs submitting at the same moment cannot both leave one (see ADR 0016).
Index(
    "uq_readings_one_pending",
    readings.c.meter_id,
    readings.c.zone,
    readings.c.period,
    unique=True,
    sqlite_where=readings.c.status == "accepted",
    postgresql_where=readings.c.status == "accepted",
)

# --- staff's desk (F32, ADR 0065) and announcements (F31, ADR 0066) ---
staff_members = Table(
    "staff_members",
    metadata,
    Column("login", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("disabled_at", UtcDateTime()),
    # Sealed (Fernet under a key derived from LK_SECRET_KEY, ADR 0072), never plain text.
    Column("totp_secret", String(255)),
    Column("totp_confirmed", Boolean, nullable=False, default=False),
    # The last time step a code was accepted for: a code is never accepted twice.
    Column("totp_last_step", BigInteger, nullable=False, default=0),
    # The one-time enrolment code `lk staff create|reset` printed, as a SHA-256 hash.
    Column("enrolment_code_hash", String(64)),
    Column("enrolment_expires_at", UtcDateTime()),
)

# Unused recovery codes (SHA-256 hashes); using one deletes its row (ADR 0072).
staff_recovery_codes = Table(
    "staff_recovery_codes",
    metadata,
    Column("login", ForeignKey("staff_members.login", ondelete="CASCADE"), primary_key=True),
    Column("code_hash", String(64), primary_key=True),
)

# Apart from residents' `sessions`: a resident's cookie finds nothing here, a staff
# member's nothing there.
staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column(
        "login", ForeignKey("staff_members.login", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_seen_at", UtcDateTime(), nullable=False),
    Column("verified", Boolean, nullable=False),
    # Typed the enrolment code: the only session that may see the new key (ADR 0072).
    Column("enrolling", Boolean, nullable=False, default=False),
)

announcements = Table(
    "announcements",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("title", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False, index=True),
    Column("all_houses", Boolean, nullable=False),
    Column("author", String(32), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False, index=True),
    # Corrections and withdrawal (ADR 0071): a change is stored only over the revision the
    # editor was opened at; a withdrawn one is no longer shown.
    Column("revision", Integer, nullable=False, default=1, server_default="1"),
    Column("updated_at", UtcDateTime()),
    Column("updated_by", String(32)),
    Column("withdrawn_at", UtcDateTime()),
    Column("withdrawn_by", String(32)),
    Column("withdraw_reason", String(500)),
)

announcement_houses = Table(
    "announcement_houses",
    metadata,
    Column(
        "announcement_id",
        ForeignKey("announcements.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("house_code", String(20), primary_key=True, index=True),
)

# The desk's audit page lists staff events by actor and time.
Index("ix_audit_log_actor_at", audit_log.c.actor, audit_log.c.at)

# --- metrics: month-close progress (ADR 0056) ---
# How far the receipts of a month being closed got, written by `lk period close` about once
# a second, read by the metrics at scrape time from any host.
month_close_progress = Table(
    "month_close_progress",
    metadata,
    Column("period", Integer, primary_key=True),
    Column("done", Integer, nullable=False),
    Column("total", Integer, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# --- JSON API v1: devices and refresh tokens (F28, ADR 0061) ---
app_devices = Table(
    "app_devices",
    metadata,
    Column("id", String(32), primary_key=True),
    Column(
        "registration_key",
        String(20),
        ForeignKey("registrations.account_key", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("name", String(60), nullable=False),
    Column("signed_in_at", UtcDateTime(), nullable=False),
    Column("last_used_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime()),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column(
        "device_id",
        String(32),
        ForeignKey("app_devices.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("issued_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("used_at", UtcDateTime()),
)

# --- service API: API keys and idempotent requests (F28, ADR 0062) ---
# A key's secret is never stored: only its SHA-256, which a presented key is checked against.
api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(12), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("scopes", String(200), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("last_used_at", UtcDateTime()),
    Column("revoked_at", UtcDateTime()),
)

# One row per caller and idempotency key: the primary key makes a claim a conditional write.
idempotent_requests = Table(
    "idempotent_requests",
    metadata,
    Column("caller", String(64), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("claimed_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False, index=True),
    Column("status", Integer),
    Column("headers", Text),
    Column("body", LargeBinary),
)

# Billing's export page by page (service API): the pending readings of a period by id, so a
# page reads its 200 rows instead of sorting the period's every pending reading (ADR 0062).
Index(
    "ix_readings_pending_by_id",
    readings.c.period,
    readings.c.id,
    sqlite_where=readings.c.status == literal_column("'accepted'"),
    postgresql_where=readings.c.status == literal_column("'accepted'"),
)

# --- service requests (F30, ADR 0063) ---
# A request belongs to the account (the flat). `version` counts its changes: a change is
# written only over the version it was read at. The queue is read in the order
# emergencies first, then the earliest deadline; the indexes follow its filters.
service_requests = Table(
    "service_requests",
    metadata,
    Column("id", String(32), primary_key=True),
    # How people name the request (ADR 0075): given in order at creation, unique below.
    Column("number", Integer, nullable=False),
    Column("account_key", ForeignKey("accounts.key"), nullable=False),
    Column("house_code", String(64), nullable=False),
    Column("category", String(32), nullable=False),
    Column("emergency", Boolean, nullable=False),
    Column("description", Text, nullable=False),
    Column("visit_window", String(200), nullable=False, default=""),
    Column("contact_phone", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("due_at", UtcDateTime(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("executor", String(200), nullable=False, default=""),
    Column("reject_reason", Text, nullable=False, default=""),
    Column("completed_at", UtcDateTime(), nullable=True),
    Column("rating", Integer, nullable=True),
    Column("rating_comment", Text, nullable=False, default=""),
    Column("updated_at", UtcDateTime(), nullable=True),
    Column("version", Integer, nullable=False),
    Index(None, "account_key", "created_at"),
)
# The queue's order (emergencies first, then the earliest deadline) read straight from an
# index, whichever filter the desk sets; the open requests, what a dispatcher works, have
# partial indexes of their own (bench/requests.py, ADR 0063, 0070).
_QUEUE_ORDER = (
    service_requests.c.emergency.desc(),
    service_requests.c.due_at,
    service_requests.c.id,
)
# Literal SQL, not bound parameters: SQLite uses a partial index only for a query whose
# condition it can see implies the index's, which it cannot through parameters.
OPEN_REQUEST_SQL = "status IN ('new', 'accepted', 'in_progress')"
_OPEN_REQUEST = text(OPEN_REQUEST_SQL)
Index("ix_service_requests_queue", *_QUEUE_ORDER)
Index("ix_service_requests_number", service_requests.c.number, unique=True)
# PostgreSQL gives the numbers from a sequence; SQLite, whose writer holds the database
# alone, takes the largest number plus one in the inserting transaction (ADR 0075).
service_request_numbers = Sequence("service_request_numbers", metadata=metadata)
Index("ix_service_requests_house_queue", service_requests.c.house_code, *_QUEUE_ORDER)
Index(
    "ix_service_requests_open_queue",
    *_QUEUE_ORDER,
    sqlite_where=_OPEN_REQUEST,
    postgresql_where=_OPEN_REQUEST,
)
Index(
    "ix_service_requests_open_category_queue",
    service_requests.c.category,
    *_QUEUE_ORDER,
    sqlite_where=_OPEN_REQUEST,
    postgresql_where=_OPEN_REQUEST,
)
Index(
    "ix_service_requests_open_house_queue",
    service_requests.c.house_code,
    *_QUEUE_ORDER,
    sqlite_where=_OPEN_REQUEST,
    postgresql_where=_OPEN_REQUEST,
)

request_history = Table(
    "request_history",
    metadata,
    Column("request_id", ForeignKey("service_requests.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor_kind", String(16), nullable=False),
    Column("actor_name", String(200), nullable=False, default=""),
    Column("kind", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("text", Text, nullable=False, default=""),
)

request_comments = Table(
    "request_comments",
    metadata,
    Column("id", String(32), primary_key=True),
    Column(
        "request_id",
        ForeignKey("service_requests.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("at", UtcDateTime(), nullable=False),
    Column("author_kind", String(16), nullable=False),
    Column("author_name", String(200), nullable=False, default=""),
    Column("text", Text, nullable=False),
)

# The photos' bytes are in the photo store (a folder or object storage), not here.
request_photos = Table(
    "request_photos",
    metadata,
    Column("id", String(32), primary_key=True),
    Column(
        "request_id",
        ForeignKey("service_requests.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("position", Integer, nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("size", Integer, nullable=False),
    Column("source_format", String(8), nullable=False),
    Column("added_at", UtcDateTime(), nullable=False),
)
