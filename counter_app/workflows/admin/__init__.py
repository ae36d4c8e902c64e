"""Administration: the branch sets itself up — its rules, hours, services, counters and staff — and every
change goes into the audit chain.

Public functions:
- `setup_file`: `export_setup`, `check_setup`, `import_setup`, `dumps` — the whole setup as one file.
- `staff`: `set_password`, `new_branch` — credentials an administrator sets, a first start without demo data.

Uses the core only (bounds, the settings record, credentials).
"""
