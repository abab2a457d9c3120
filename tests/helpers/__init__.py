"""Helpers shared by tests in several folders (not tests themselves)."""
