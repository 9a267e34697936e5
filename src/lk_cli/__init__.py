"""The `lk` back-office command."""
