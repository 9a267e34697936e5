"""What pages show, worked out from use case results before the templates place it."""
