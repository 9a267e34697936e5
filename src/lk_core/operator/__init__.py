"""Back-office operators' work on accounts: search, support, service messages (F25, F26)."""
