"""Cairn: a native desktop chat client for the Claude API."""

__version__ = "0.1.0"
