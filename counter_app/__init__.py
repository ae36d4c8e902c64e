"""counter_app: queueing, timing and escalation for the service counters of a business hall."""

__version__ = "0.1.0"
