"""The settings, as typed values with their defaults (documented in README, "Configuration")."""

from __future__ import annotations

import attrs


@attrs.frozen
class CompanySettings:
    """The payee's details; empty in demo mode, where the demo company stands in."""

    name: str = ""
    inn: str = ""
    kpp: str = ""
    bank_name: str = ""
    bic: str = ""
    settlement_account: str = ""
    correspondent_account: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    time_zone: str = "Europe/Moscow"
    # The portal's colour: its header and the installed app's theme (#rrggbb).
    colour: str = "#0b5cad"


@attrs.frozen
class PolicySettings:
    """Business limits (see lk_core.kernel.policies for what each means)."""

    password_min_length: int = 8
    password_max_length: int = 128
    accounts_per_email: int = 10
    email_link_hours: int = 24
    reset_link_minutes: int = 60
    sms_code_minutes: int = 10
    sms_code_attempts: int = 5
    reading_cutoff_day: int = 0
    reading_plausibility_factor: int = 10
    receipts_shown: int = 3
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    # The staff's desk (F32): shorter than residents'.
    staff_session_idle_minutes: int = 15
    staff_session_absolute_hours: int = 8
    reading_opening_day: int = 0
    payment_due_day: int = 10


@attrs.frozen
class MailSettings:
    """SMTP delivery; unused in demo mode, where messages are shown instead of sent."""

    host: str = ""
    port: int = 587
    starttls: bool = True
    tls: bool = False
    username: str = ""
    password: str = attrs.field(default="", repr=False)
    sender: str = ""


@attrs.frozen
class SmsSettings:
    """SMS.ru delivery; unused in demo mode. `sender` is an approved sender name, if any."""

    api_id: str = attrs.field(default="", repr=False)
    sender: str = ""
    base_url: str = "https://sms.ru"
    timeout: int = 10


@attrs.frozen
class PaymentSettings:
    """Payment services (F12) and bank registries (F24); see README, "Online payment".

    `gorod_url` and `sberbank_url` are link templates with {account} {amount} {kopecks}
    {order} {email} {readings} {service}; an empty one hides the service (demo mode
    points both at local demo pages). `more_providers` adds services, one per line:
    `code|Название|template`. `yookassa_*` configure the acquiring provider; without a
    shop id it is not offered (demo mode uses its local demo acquirer); `yookassa_receipts`
    sends the payer's e-mail and receipt line (turn it off for a shop without YooKassa's
    fiscalization, whose receipts are sent otherwise). `banks` maps a
    bank's name to its registry columns (docs/formats.md); `sberbank` is built in.

    Callbacks (ADR 0053): `callback_sources` lists the networks notifications are taken
    from (CIDRs, or `yookassa` for its published addresses, `loopback`); empty means
    YooKassa's, and loopback too in demo mode. `callback_rate` is how many a minute one
    address may send. Each is verified in the background with the provider, by
    `verify_workers` threads in every web process (`verify_in_process`) or by
    `lk payments verify`, with `verify_connect_timeout` and `verify_read_timeout` seconds.
    """

    gorod_url: str = ""
    sberbank_url: str = ""
    more_providers: str = ""
    yookassa_shop_id: str = ""
    yookassa_secret_key: str = attrs.field(default="", repr=False)
    yookassa_api_url: str = "https://api.yookassa.ru"
    yookassa_timeout: int = 10
    yookassa_receipts: bool = True  # send the 54-ФЗ receipt data (needs YooKassa's fiscalization)
    banks: dict[str, str] = attrs.Factory(dict)
    callback_sources: str = ""
    callback_rate: int = 120
    verify_in_process: bool = True
    verify_workers: int = 2
    verify_connect_timeout: int = 2
    verify_read_timeout: int = 5


@attrs.frozen
class ReceiptSettings:
    """Where month close stores receipts, and how many processes render them (0: a core each).

    `store` is `s3://bucket/prefix` for object storage (ADR 0055, with `[s3]`), or a
    folder's path; empty means `folder`.
    """

    folder: str = "var/receipts"
    workers: int = 0
    store: str = ""


@attrs.frozen
class S3Settings:
    """The S3-compatible server of `receipts.store`; empty values leave boto3's defaults
    (AWS's endpoint, its own environment variables and instance credentials)."""

    endpoint_url: str = ""
    access_key_id: str = ""
    secret_access_key: str = attrs.field(default="", repr=False)
    region: str = ""


@attrs.frozen
class MetricsSettings:
    """Prometheus metrics (ADR 0056): `lk serve` answers them on `host`:`port`, apart from
    the portal's own port; 0 turns them off. Keep `host` on loopback or a private network."""

    port: int = 0
    host: str = "127.0.0.1"


@attrs.frozen
class ApiSettings:
    """The JSON API (F28, ADRs 0060 and 0061): token lifetimes, and the origins (comma
    separated) whose browser scripts may call it; none by default, so CORS stays off."""

    access_token_minutes: int = 15
    refresh_token_days: int = 30
    cors_origins: str = ""


@attrs.frozen
class RequestSettings:
    """Service requests (F30, ADR 0063). `categories` is one per line,
    `code|Название|SLA` with the SLA in working hours (`8h`) or days (`3d`); empty keeps
    сантехника, электрика, лифт, уборка, двор, прочее. `work_day` is `09:00-18:00`;
    `days_off` and `working_days` list dates (`2026-12-31, 2027-01-09`) the government's
    yearly decree moves (public holidays of ТК РФ ст. 112 are built in). Photos go to
    `photo_folder`, empty meaning the receipts' store, folder or bucket (under `requests/`).
    `executors` names, one per line, whom the dispatcher may assign besides the active staff
    members (crews, contractors); empty in demo mode gives the demo company's."""

    categories: str = ""
    executors: str = ""
    emergency_hours: int = 2
    per_account_per_day: int = 10
    reopen_days: int = 7
    photos_per_request: int = 5
    photo_max_mb: int = 10
    photo_max_megapixels: int = 50
    work_day: str = "09:00-18:00"
    days_off: str = ""
    working_days: str = ""
    photo_folder: str = ""


@attrs.frozen
class Settings:
    """Everything the composition root needs to build the application."""

    database_url: str = "sqlite:///var/lk.sqlite3"
    demo: bool = False
    base_url: str = "http://127.0.0.1:8000"
    https: bool | None = None
    secret_key: str = attrs.field(default="", repr=False)
    # Keys `secret_key` replaced, comma-separated: encrypted TOTP keys sealed under them
    # still open until `lk staff reseal` re-encrypts them (ADR 0072).
    previous_secret_keys: str = attrs.field(default="", repr=False)
    behind_proxy: bool = False
    # Web server processes (`lk serve --workers`): argon2 work is shared out among them.
    web_workers: int = 1
    company: CompanySettings = CompanySettings()
    policies: PolicySettings = PolicySettings()
    mail: MailSettings = MailSettings()
    sms: SmsSettings = SmsSettings()
    payments: PaymentSettings = PaymentSettings()
    receipts: ReceiptSettings = ReceiptSettings()
    s3: S3Settings = S3Settings()
    metrics: MetricsSettings = MetricsSettings()
    api: ApiSettings = ApiSettings()
    requests: RequestSettings = RequestSettings()

    @property
    def uses_https(self) -> bool:
        """HTTPS is on by default outside demo mode (SECURITY.md, cookies)."""
        return (not self.demo) if self.https is None else self.https
