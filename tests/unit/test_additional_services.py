"""The additional services panel (F10): contacts, informing, receipt delivery, and a separate
consent record for every opt-in and opt-out (152-ФЗ)."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from access_fixtures import IP, IVANOV, SIDOROV, USER_AGENT, Portal, a_portal
from lk_core.access.audit import AuditEvent, AuditKind
from lk_core.access.registration import Consent, ConsentKind
from lk_core.accounts.account import ReceiptDelivery
from lk_core.accounts.contacts import Email, Phone
from lk_core.kernel.errors import InvalidValue, NotFound
from lk_core.personal_data.additional_services import (
    AdditionalServicesForm,
    update_additional_services,
)

NEW_PHONE = "8 (912) 345-67-89"
NEW_EMAIL = "ivanov@mail.ru"


@pytest.fixture
def portal() -> Portal:
    return a_portal()


def as_it_stands(portal: Portal, number: str = IVANOV) -> AdditionalServicesForm:
    return AdditionalServicesForm.of_account(portal.account(number))


def save(portal: Portal, number: str = IVANOV, **changes: Any) -> None:
    form = attrs.evolve(as_it_stands(portal, number), **changes)
    update_additional_services(portal.ctx, number, form, ip=IP, user_agent=USER_AGENT)


def consents(portal: Portal, number: str = IVANOV) -> list[Consent]:
    with portal.uow_factory() as uow:
        return uow.consents.of_account(number)


def consent_events(portal: Portal) -> list[AuditEvent]:
    kinds = (AuditKind.CONSENT_GIVEN, AuditKind.CONSENT_WITHDRAWN)
    return [event for event in portal.audit_events() if event.kind in kinds]


# --- what the panel shows ---------------------------------------------------------------


def test_the_panel_shows_the_contacts_and_settings_on_file(portal: Portal) -> None:
    form = as_it_stands(portal, SIDOROV)

    assert form.phone == "+7 900 111-22-33"
    assert form.email == ""
    assert not form.sms_informing
    assert not form.email_informing
    assert form.delivery is ReceiptDelivery.PAPER


# --- opting in and out ------------------------------------------------------------------


def test_turning_sms_informing_on_saves_the_new_phone_and_records_the_consent(
    portal: Portal,
) -> None:
    save(portal, sms_informing=True, phone=NEW_PHONE)

    account = portal.account(IVANOV)
    assert account.sms_informing
    assert account.phone == Phone("+79123456789")
    [consent] = consents(portal)
    assert consent == Consent(
        IVANOV, ConsentKind.SMS_INFORMING, portal.ctx.consent_version, True,
        portal.clock.now(), IP, USER_AGENT, "+79123456789",
    )  # fmt: skip
    [event] = consent_events(portal)
    assert event.kind is AuditKind.CONSENT_GIVEN
    assert event.account_key == IVANOV
    assert event.ip == IP
    assert ("consent", "sms_informing") in event.details


def test_turning_sms_informing_off_records_the_withdrawal_for_the_number_it_was_for(
    portal: Portal,
) -> None:
    save(portal, sms_informing=True, phone=NEW_PHONE)
    portal.clock.advance(days=3)

    save(portal, sms_informing=False)

    assert not portal.account(IVANOV).sms_informing
    given, withdrawn = consents(portal)
    assert (given.given, withdrawn.given) == (True, False)
    assert withdrawn.kind is ConsentKind.SMS_INFORMING
    assert withdrawn.address == "+79123456789"
    assert withdrawn.at == portal.clock.now()
    assert [event.kind for event in consent_events(portal)] == [
        AuditKind.CONSENT_GIVEN,
        AuditKind.CONSENT_WITHDRAWN,
    ]


def test_a_phone_already_on_file_serves_sms_informing_without_typing_it_again(
    portal: Portal,
) -> None:
    save(portal, SIDOROV, sms_informing=True)

    [consent] = consents(portal, SIDOROV)
    assert consent.kind is ConsentKind.SMS_INFORMING
    assert consent.address == "+79001112233"
    assert portal.account(SIDOROV).phone == Phone("+79001112233")


def test_e_mail_informing_is_a_consent_of_its_own(portal: Portal) -> None:
    save(portal, email_informing=True, email=NEW_EMAIL)

    account = portal.account(IVANOV)
    assert account.email_informing
    assert account.email == Email(NEW_EMAIL)
    assert [(c.kind, c.given, c.address) for c in consents(portal)] == [
        (ConsentKind.EMAIL_INFORMING, True, NEW_EMAIL)
    ]


def test_each_opt_in_is_a_separate_consent_record(portal: Portal) -> None:
    save(
        portal,
        sms_informing=True,
        phone=NEW_PHONE,
        email_informing=True,
        email=NEW_EMAIL,
        delivery=ReceiptDelivery.EMAIL,
    )

    assert sorted((c.kind.value, c.given) for c in consents(portal)) == [
        ("email_informing", True),
        ("email_receipt", True),
        ("sms_informing", True),
    ]
    assert len(consent_events(portal)) == 3


def test_an_unchanged_panel_records_nothing(portal: Portal) -> None:
    save(portal, sms_informing=True, phone=NEW_PHONE, delivery=ReceiptDelivery.PAPER)
    before_consents, before_events = len(consents(portal)), len(consent_events(portal))

    save(portal)
    save(portal, phone="+7 912 345-67-89")  # the same number, written another way

    assert len(consents(portal)) == before_consents
    assert len(consent_events(portal)) == before_events


def test_changing_a_contact_with_no_service_on_it_saves_it_without_a_consent(
    portal: Portal,
) -> None:
    save(portal, SIDOROV, phone="+7 900 999-88-77", email=NEW_EMAIL)

    account = portal.account(SIDOROV)
    assert account.phone == Phone("+79009998877")
    assert account.email == Email(NEW_EMAIL)
    assert consents(portal, SIDOROV) == []


# --- receipts by e-mail -----------------------------------------------------------------


def test_choosing_e_mail_receipts_records_the_consent_for_that_address(portal: Portal) -> None:
    save(portal, email=NEW_EMAIL, delivery=ReceiptDelivery.EMAIL)

    assert portal.account(IVANOV).delivery is ReceiptDelivery.EMAIL
    [consent] = consents(portal)
    assert (consent.kind, consent.given, consent.address) == (
        ConsentKind.EMAIL_RECEIPT,
        True,
        NEW_EMAIL,
    )


def test_switching_e_mail_receipts_off_returns_the_account_to_paper(portal: Portal) -> None:
    save(portal, email=NEW_EMAIL, delivery=ReceiptDelivery.EMAIL)

    save(portal, delivery=ReceiptDelivery.PAPER)

    assert portal.account(IVANOV).delivery is ReceiptDelivery.PAPER
    assert [(c.kind, c.given, c.address) for c in consents(portal)][-1] == (
        ConsentKind.EMAIL_RECEIPT,
        False,
        NEW_EMAIL,
    )


def test_a_new_e_mail_while_receipts_go_by_e_mail_is_consented_to_anew(portal: Portal) -> None:
    save(portal, email=NEW_EMAIL, delivery=ReceiptDelivery.EMAIL)

    save(portal, email="ivanov.ii@yandex.ru")

    receipts = [c for c in consents(portal) if c.kind is ConsentKind.EMAIL_RECEIPT]
    assert [(c.given, c.address) for c in receipts] == [
        (True, NEW_EMAIL),
        (True, "ivanov.ii@yandex.ru"),
    ]
    assert portal.account(IVANOV).delivery is ReceiptDelivery.EMAIL
    assert portal.account(IVANOV).email == Email("ivanov.ii@yandex.ru")


# --- what is refused, and then nothing changes ------------------------------------------


def assert_refused(portal: Portal, field: str, message: str, **changes: Any) -> None:
    before = portal.account(IVANOV)
    before_consents, before_events = consents(portal), portal.audit_events()

    with pytest.raises(InvalidValue) as refused:
        save(portal, **changes)

    assert refused.value.field == field
    assert message in refused.value.message_ru
    assert portal.account(IVANOV) == before
    assert consents(portal) == before_consents
    assert portal.audit_events() == before_events


def test_an_invalid_phone_changes_nothing_at_all(portal: Portal) -> None:
    assert_refused(
        portal, "phone", "+7 XXX XXX-XX-XX",
        sms_informing=True, phone="12-34", email_informing=True, email=NEW_EMAIL,
    )  # fmt: skip


def test_an_invalid_e_mail_changes_nothing_at_all(portal: Portal) -> None:
    assert_refused(
        portal, "email", "адрес электронной почты",
        sms_informing=True, phone=NEW_PHONE, email="ivanov@", delivery=ReceiptDelivery.EMAIL,
    )  # fmt: skip


def test_sms_informing_needs_a_phone(portal: Portal) -> None:
    assert_refused(portal, "phone", "укажите номер телефона", sms_informing=True, phone=" ")


def test_e_mail_informing_needs_an_e_mail(portal: Portal) -> None:
    assert_refused(portal, "email", "укажите адрес", email_informing=True, email="")


def test_e_mail_receipts_need_an_e_mail(portal: Portal) -> None:
    assert_refused(portal, "email", "укажите адрес", delivery=ReceiptDelivery.EMAIL, email="")


def test_a_contact_a_chosen_service_needs_cannot_be_removed(portal: Portal) -> None:
    save(portal, sms_informing=True, phone=NEW_PHONE)

    assert_refused(portal, "phone", "укажите номер телефона", phone="")


def test_a_contact_no_service_needs_can_be_removed(portal: Portal) -> None:
    save(portal, SIDOROV, phone="")

    assert portal.account(SIDOROV).phone is None
    assert consents(portal, SIDOROV) == []


def test_an_unknown_account_is_not_found(portal: Portal) -> None:
    form = as_it_stands(portal)

    with pytest.raises(NotFound):
        update_additional_services(portal.ctx, "999999", form, ip=IP, user_agent=USER_AGENT)
