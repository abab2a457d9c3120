"""Starting Cairn again: the same command and arguments that started it, run in place of this
process once a restart was asked for, and only then (nothing re-executes in these tests)."""

from __future__ import annotations

import sys

import pytest

from desktop_app.ui.runtime import restart as restart_module
from desktop_app.ui.runtime.restart import RestartRequest, restart_command, start_again


def test_the_command_is_python_with_its_options_and_cairns_arguments(monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "orig_argv", ["python3", "-X", "dev", "-m", "desktop_app",
                                           "--data-dir", "/tmp/cairn data"])
    assert restart_command() == [sys.executable, "-X", "dev", "-m", "desktop_app",
                                 "--data-dir", "/tmp/cairn data"]


def test_a_frozen_build_restarts_its_own_executable(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/cairn/cairn")
    monkeypatch.setattr(sys, "argv", ["/opt/cairn/cairn", "--data-dir", "/media/usb/cairn"])
    assert restart_command() == ["/opt/cairn/cairn", "--data-dir", "/media/usb/cairn"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX replaces the process")
def test_starting_again_replaces_the_process(monkeypatch):
    calls = []
    monkeypatch.setattr(restart_module.os, "execv", lambda path, args: calls.append((path, args)))
    start_again(["/usr/bin/python3", "-m", "desktop_app"])
    assert calls == [("/usr/bin/python3", ["/usr/bin/python3", "-m", "desktop_app"])]


def test_a_request_closes_the_window_once():
    closed = []
    request = RestartRequest(lambda: closed.append(True))
    assert not request.requested
    request.request()
    request.request()  # a second click while the window closes
    assert request.requested and closed == [True]
