"""Cairn as a real process: --version, and a start/close cycle that must end cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop_app import __version__
from tests.conftest import TEST_KEY


def run_cairn(*args: str, env: dict[str, str] | None = None, timeout: float = 60):
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        capture_output=True, text=True, timeout=timeout, env=full_env,
    )


def test_version():
    result = run_cairn("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"Cairn {__version__}"


def test_start_and_close_cleanly(fake_api, data_dir: Path):
    result = run_cairn(
        "--smoke-test", "--data-dir", str(data_dir),
        env={"ANTHROPIC_API_KEY": TEST_KEY, "ANTHROPIC_BASE_URL": fake_api.base_url},
    )
    assert result.returncode == 0, result.stderr
    assert "window shown, resources loaded" in result.stdout
    for bad in ("Traceback", "Task was destroyed", "Exception", "Error"):
        assert bad not in result.stderr, result.stderr
    assert (data_dir / "conversations").is_dir()
    assert (data_dir / "cache" / "models.json").exists()  # the model list was fetched and cached
    assert TEST_KEY not in (data_dir / "cache" / "models.json").read_text()


def test_sigterm_closes_cleanly_and_keeps_history(fake_api, data_dir: Path):
    """A logout sends SIGTERM: Cairn closes the normal way (tasks cancelled, data saved)."""
    import signal
    import time

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ANTHROPIC_API_KEY": TEST_KEY,
           "ANTHROPIC_BASE_URL": fake_api.base_url}
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop_app", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        models = data_dir / "cache" / "models.json"
        deadline = time.monotonic() + 60
        while not models.exists():  # the app is up once it has cached the model list
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "Cairn did not start"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "Task was destroyed" not in err
    assert (data_dir / "config" / "window.ini").exists()  # the normal close path ran
