"""careops: what is due or overdue today, for whom, and why."""

__version__ = "0.1.0"
