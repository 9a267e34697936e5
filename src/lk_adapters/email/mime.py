"""Turning the core's e-mail into a MIME message: UTF-8 headers and parts, files named in
any script (RFC 2231), a Message-ID and Date as mail servers expect."""

from __future__ import annotations

import email.message
import email.utils

from lk_core.messaging.messages import EmailMessage


def mime_message(message: EmailMessage, sender: str) -> email.message.EmailMessage:
    """The message as sent: text, an HTML alternative if there is one, then attachments."""
    mime = email.message.EmailMessage()
    mime["From"] = sender
    mime["To"] = message.to
    mime["Subject"] = message.subject
    mime["Date"] = email.utils.formatdate(usegmt=True)
    mime["Message-ID"] = email.utils.make_msgid(domain=_domain_of(sender))
    # base64 rather than 8bit: not every relay announces 8BITMIME, and for Cyrillic it
    # is shorter than quoted-printable.
    mime.set_content(message.text, cte="base64")
    if message.html:
        mime.add_alternative(message.html, subtype="html", cte="base64")
    for attachment in message.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        mime.add_attachment(
            attachment.content,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )
    return mime


def _domain_of(sender: str) -> str | None:
    _, address = email.utils.parseaddr(sender)
    domain = address.rpartition("@")[2]
    return domain or None
