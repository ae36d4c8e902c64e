"""The administrator's window: the branch's services and the counters that serve them, its staff and their
passwords, the branch itself (names, logo, languages, display, rules, hours, holidays), this PC's own settings,
the setup file in and out, and the history of every change (workflows/admin)."""
