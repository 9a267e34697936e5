"""Adapters: persistence, message gateways, payment providers, receipts, and the composition root."""
