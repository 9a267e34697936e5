"""Who may act: sessions, throttling of secret-checking paths, the audit trail, passwords."""
