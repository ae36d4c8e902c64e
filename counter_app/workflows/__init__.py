"""The branch's rules, free of Qt: queueing, counters, staff, estimates, the display board, replay."""
