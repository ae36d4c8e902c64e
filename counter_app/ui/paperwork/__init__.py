"""Paper on screen and on the printer: the PDF preview (`preview`), printing and saving
(`printing`, `escpos_printer` for thermal ticket printers), the document archive (`archive`) and the
apology notice offered after a visit that went wrong (`apology_offer`).

Used by the counter, kiosk, manager and reports windows; uses `ui.common` and `workflows.paperwork`.
"""
