"""Tests of the fake Messages API server (tests/fake_api/) itself, driven by the real SDK."""
