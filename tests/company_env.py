"""A payee whose requisites pass their check digits, as `LK_COMPANY_*` variables.

Outside demo mode the settings refuse to start without one.
"""

A_COMPANY = {
    "LK_COMPANY_NAME": "ООО «УК Пример»",
    "LK_COMPANY_INN": "7707083893",
    "LK_COMPANY_KPP": "773601001",
    "LK_COMPANY_BANK_NAME": "ПАО Сбербанк",
    "LK_COMPANY_BIC": "044525225",
    "LK_COMPANY_SETTLEMENT_ACCOUNT": "40702810200000012345",
    "LK_COMPANY_CORRESPONDENT_ACCOUNT": "30101810400000000225",
}
