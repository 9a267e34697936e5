"""Messages to residents, as the outbox keeps them until a gateway delivers them."""

from __future__ import annotations

import attrs


@attrs.frozen
class Attachment:
    filename: str
    content_type: str
    content: bytes = attrs.field(repr=False)


@attrs.frozen
class EmailMessage:
    """An e-mail: plain text always, HTML optionally, attachments (a receipt PDF)."""

    to: str
    subject: str
    text: str
    html: str = ""
    attachments: tuple[Attachment, ...] = ()


@attrs.frozen
class SmsMessage:
    """A text message to a +7 phone number."""

    to: str
    text: str
