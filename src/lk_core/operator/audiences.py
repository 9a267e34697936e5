"""Who gets a service message by which channel, and who is skipped and why (F26).

A channel is used only for a resident who opted in to it on the portal and whose consent
was given for the contact on file now (REGULATIONS.md, 152-ФЗ: each opt-in is recorded
with its address); anyone else is skipped and counted.
"""

from __future__ import annotations

import enum

import attrs

from lk_core.operator.directory import AudienceMember


class Channel(enum.Enum):
    SMS = "sms"
    EMAIL = "email"

    @property
    def label_ru(self) -> str:
        return {"sms": "SMS", "email": "e-mail"}[self.value]


class Skip(enum.Enum):
    OPTED_OUT = "opted_out"
    NO_CONTACT = "no_contact"


def address_for(member: AudienceMember, channel: Channel) -> str | Skip:
    """The phone or e-mail to send to, or why this member gets nothing by the channel."""
    account = member.account
    if channel is Channel.SMS:
        opted_in, contact = account.sms_informing, account.phone.e164 if account.phone else None
        consented = member.sms_consented_to
    else:
        opted_in = account.email_informing
        contact = account.email.address if account.email else None
        consented = member.email_consented_to
    if not opted_in:
        return Skip.OPTED_OUT
    if contact is None or consented != contact:
        return Skip.NO_CONTACT
    return contact


def dedupe_key(campaign: str, channel: Channel, account_key: str) -> str:
    """One message per campaign, channel and account, however often the command is run."""
    return f"notify:{campaign}:{channel.value}:{account_key}"


@attrs.define
class ChannelCounts:
    """What happened by one channel: queued now, queued by an earlier run, skipped."""

    queued: int = 0
    already_queued: int = 0
    opted_out: int = 0
    no_contact: int = 0


@attrs.frozen
class Sample:
    """One message as it would go out, for the operator to read before sending."""

    channel: Channel
    account_key: str
    to: str
    subject: str
    text: str
