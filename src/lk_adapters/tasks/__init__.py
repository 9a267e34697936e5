"""Background tasks: what they do, and the two ways they run (in process, or queued)."""
