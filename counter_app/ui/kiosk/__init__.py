"""The ticket kiosk (取号机): one touch button per service; the ticket says how many are ahead, the
estimated wait and, before opening, when serving starts (`window.KioskWindow`)."""
