"""SMS delivery: SMS.ru (`SmsRuSender`) and the choice of sender from the settings."""

from lk_adapters.sms.configured import configured_sms_sender
from lk_adapters.sms.sms_ru import SmsDeliveryError, SmsRuSender

__all__ = ["SmsDeliveryError", "SmsRuSender", "configured_sms_sender"]
