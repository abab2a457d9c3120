"""Tests of desktop_app/core: the pure logic (no Qt, no disk, no network of its own)."""
