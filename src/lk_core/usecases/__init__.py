"""Use cases: each takes a unit-of-work factory (and a clock where time matters)."""
