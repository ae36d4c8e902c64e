"""The Qt windows: one per role (kiosk, display, counter), over the Qt-free workflows."""
