"""Tests of desktop_app/api: the connection to the Messages API, against the fake server."""
