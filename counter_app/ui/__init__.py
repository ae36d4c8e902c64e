"""The Qt windows, one package per role, a thin layer over the Qt-free workflows.

    launcher, chooser, app      start-up: the role chooser and one window per role
    manager                     the duty manager (may open the reports)
    counter kiosk display       one package per window; none imports another
    feedback reports
    paperwork                   preview, printing, the archive, the apology offer
    common                      the backend, actions, widgets, words, staff sign-in

import-linter keeps the arrows downward (pyproject.toml, docs/architecture.md).
"""
