"""Prometheus metrics (ADR 0056): gauges read from the database at scrape time, the
connection pool's use, and the server `lk serve` answers them on."""
