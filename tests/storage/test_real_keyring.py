"""The key in the real Secret Service (gnome-keyring in a private D-Bus session), as on a
Linux desktop: saved by one process, found by the next, and never readable in a file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

KEY = "sk-ant-api03-REALKEYRINGTEST-0123456789"

pytestmark = pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
    reason="needs dbus and gnome-keyring (installed by scripts/test.sh on Debian)",
)

SCRIPT = textwrap.dedent(
    """
    import sys
    from desktop_app.storage.key_store import KeyStore
    store = KeyStore(environ={})
    if sys.argv[1] == "save":
        result = store.save(sys.argv[2])
        print("persisted" if result.persisted else "NOT persisted: " + str(result.problem))
    else:
        found = store.load()
        print(found.source, found.key == sys.argv[2])
    """
)


def in_session(home: Path, *steps: list[str]) -> list[str]:
    """Run each step in one D-Bus session with an unlocked gnome-keyring."""
    commands = " && ".join(
        " ".join(f"'{part}'" for part in step) for step in steps
    )
    shell = (
        "echo -n testpassword | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
        + commands
    )
    env = {
        "HOME": str(home), "XDG_RUNTIME_DIR": str(home / "run"),
        "XDG_DATA_HOME": str(home / "data"), "PATH": os.environ["PATH"],
        "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
    }
    (home / "run").mkdir(mode=0o700, exist_ok=True)
    result = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", shell],
        capture_output=True, text=True, timeout=60, env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()


def test_key_round_trips_through_the_secret_service(tmp_path: Path) -> None:
    home = tmp_path / "desktop-user"
    home.mkdir()
    script = tmp_path / "key.py"
    script.write_text(SCRIPT)
    python = [sys.executable, str(script)]
    lines = in_session(home, python + ["save", KEY], python + ["load", KEY])
    assert lines == ["persisted", "keyring True"]
    for path in home.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), f"key readable in {path}"
