"""The administrator's window: the branch's services and the counters that serve them, its staff and their
passwords, the setup file in and out, and the history of every change (workflows/admin)."""
