"""Fakes and fixtures shared by the workflow and UI tests."""
