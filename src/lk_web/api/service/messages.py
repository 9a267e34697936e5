"""A service message queued for an audience over HTTP (F26, F28): the same mailing as
`lk notify`, each account once per campaign, to residents who opted in to the channel."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Response, post
from litestar.params import JSONBody

from lk_core.accounts.account import AccountNumber
from lk_core.kernel.errors import InvalidValue
from lk_core.kernel.runtime import no_progress
from lk_core.operator.audiences import Channel
from lk_core.operator.directory import Audience
from lk_core.operator.service_messages import NotifyRequest, send_service_messages
from lk_core.operator.templates import MessageTemplate
from lk_core.service_api import Scope, operator_of
from lk_web.api.idempotent import IdempotencyKey, run_once
from lk_web.api.money import MoneyText, money_of
from lk_web.api.openapi import SERVICE_KEY
from lk_web.api.problems import ApiProblem
from lk_web.api.service.auth import SCOPE, caller_key, caller_of
from lk_web.api.service.common import POST_REFUSALS, TAGS, in_thread, refusals, wiring_of
from lk_web.api.service.wiring import ServiceWiring
from lk_web.client import AnyRequest
from lk_web.dependencies import Portal

MAX_ACCOUNTS = 100_000


class AudienceIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Whom to write to: everyone, or a house, or listed accounts; and of them, with
    `min_debt`, only those owing at least that much. At least one must be given."""

    everyone: bool = False
    house: Annotated[str, msgspec.Meta(min_length=1, max_length=64)] | None = None
    accounts: Annotated[list[str], msgspec.Meta(max_length=MAX_ACCOUNTS)] | None = None
    min_debt: MoneyText | None = None


class MessageIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A mailing: the audience, the channels, the template (first line `Тема: …` for
    e-mail; fields `{name}`, `{number}`, `{debt}`, `{address}`, `{company}`)."""

    audience: AudienceIn
    channels: Annotated[list[Literal["sms", "email"]], msgspec.Meta(min_length=1, max_length=2)]
    template: Annotated[str, msgspec.Meta(min_length=1, max_length=10_000)]
    campaign: Annotated[str, msgspec.Meta(max_length=64)] = ""
    dry_run: bool = False


class ChannelOut(msgspec.Struct, frozen=True):
    """By one channel: queued now, queued by an earlier request, skipped (no consent, no
    address)."""

    queued: int
    already_queued: int
    opted_out: int
    no_contact: int


class MessageQueued(msgspec.Struct, frozen=True):
    selected: int
    campaign: str
    dry_run: bool
    channels: dict[str, ChannelOut]


def _audience(given: AudienceIn) -> Audience:
    keys: frozenset[str] | None = None
    if given.accounts is not None:
        found: set[str] = set()
        for index, text in enumerate(given.accounts):
            try:
                found.add(AccountNumber.parse(text).key)
            except InvalidValue as error:
                field = f"audience.accounts[{index}]"
                raise ApiProblem.invalid_field(
                    field, f"Поле «{field}»: {error.message_ru}"
                ) from None
        keys = frozenset(found)
    min_debt = None if given.min_debt is None else money_of(given.min_debt, "audience.min_debt")
    if not (given.everyone or given.house or keys is not None or min_debt is not None):
        raise ApiProblem.invalid_field(
            "audience", "Укажите, кому: everyone, house, accounts или min_debt"
        )
    return Audience(given.house, keys, min_debt)


def _queue(
    request: AnyRequest, body: bytes, wiring: ServiceWiring, data: MessageIn
) -> Response[Any]:
    key = caller_key(request)

    def run() -> Response[Any]:
        template = MessageTemplate.parse(data.template)
        channels = tuple(Channel(name) for name in dict.fromkeys(data.channels))
        mailing = NotifyRequest(
            _audience(data.audience), channels, template, wiring.company_name, data.campaign,
            dry_run=data.dry_run,
        )  # fmt: skip
        report = send_service_messages(
            wiring.uow_factory, wiring.clock, operator_of(key), mailing, no_progress()
        )
        queued = MessageQueued(
            report.selected,
            report.campaign,
            report.dry_run,
            {
                channel.value: ChannelOut(
                    counts.queued, counts.already_queued, counts.opted_out, counts.no_contact
                )
                for channel, counts in report.counts.items()
            },
        )
        status = 200 if data.dry_run else 202
        return Response(
            msgspec.json.encode(queued), status_code=status, media_type="application/json"
        )

    return run_once(request, body, wiring.api, caller_of(key), run)


class ServiceMessagesController(Controller):
    path = "/messages"
    tags = TAGS

    @post(
        "/",
        summary="Поставить в очередь служебное сообщение",
        security=SERVICE_KEY,
        opt={SCOPE: Scope.MESSAGES_WRITE},
        responses=refusals(*POST_REFUSALS),
        status_code=202,
    )
    async def queue(
        self,
        request: AnyRequest,
        portal: Portal,
        data: JSONBody[MessageIn],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[MessageQueued]:
        """Сообщение встаёт в очередь для каждого счёта аудитории, чей житель согласился на
        канал; повтор той же кампании не пишет дважды. `dry_run` только считает (200).
        Область доступа: `messages:write`."""
        body = await request.body()
        return await in_thread(_queue, request, body, wiring_of(portal), data)
