"""The branch's rules, free of Qt, one package per business capability (docs/architecture.md).

Layers, each may use those below it and never one above (import-linter keeps it so):

    replay      a morning replayed on a virtual clock; the demo hall
    reports     measures, tallies, exports, closing the day, feedback
    paperwork   the service order and the papers handed to the customer
    oversight   timing against targets, alerts, explaining, help, approvals, duty
    queue       tickets, counters, hours, estimates, the display board, visits
    customers   one record per customer and what the next clerk must see
    core        the event log and audit chain, credentials, lookups, masking
"""
