"""The JSON API v1 (F28): conventions shared by every endpoint (ADR 0060).

- `problems`: RFC 9457 errors (`ApiProblem`, `problem_responses`, the exception handlers);
- `money`: amounts as decimal strings in roubles (`MoneyText`, `money_text`, `money_of`);
- `cursor`: cursor pagination (`CursorPage`, `page_of`, `Limit`);
- `etag`: `ETag` and `If-None-Match` on reads (`json_read`, `bytes_read`);
- `openapi`: the document at `/api/v1/openapi.json` (`BEARER`, `PUBLIC`, `openapi_config`);
- `router`: the router at `/api/v1` (`api_router`).
"""
