"""SQLAlchemy persistence: one schema for SQLite and PostgreSQL."""
