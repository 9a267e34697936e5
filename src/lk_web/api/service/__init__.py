"""The service API for the company's other systems (F28, ADR 0062), under `/api/v1/service`:
billing's readings exchange, bank registries, service messages, the call centre's view of
an account. Each operation is authorised by an API key (`X-Api-Key`) with its scope, and
every POST honours `Idempotency-Key`.

The router is `router.service_router`; the wiring the handlers receive, `wiring`.
"""
