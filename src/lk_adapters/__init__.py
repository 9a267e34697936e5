"""Adapters: persistence, gateways, payment providers, receipts, the composition root."""
