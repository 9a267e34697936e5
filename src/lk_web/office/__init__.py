"""The staff's desk at `/office` (F31, F32): its own sign-in, cookie and session store,
never a resident's (ADR 0065)."""
