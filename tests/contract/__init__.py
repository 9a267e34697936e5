"""Contract tests: the same tests over every adapter of a port."""
