"""Tests that need Qt (pytest-qt, the window, widgets, PySide6 itself): mostly desktop_app/ui."""
