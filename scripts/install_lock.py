"""Install the locked versions of Cairn's dependencies, then Cairn itself, into this Python.

    python scripts/install_lock.py                 # requirements/lock.txt, then Cairn (editable)
    .venv/bin/python scripts/install_lock.py --sync  # and remove what the lock does not have

Needs only pip (any pip that the lock's Python has; the lock pins pip too, so pip ends at the
lock's version): no uv, no pip-tools. The steps:

1. `pip install --require-hashes -r LOCK`: every package at its locked version, each file
   checked against its hash. A package already installed at another version is replaced, so an
   older environment is brought to the lock.
2. With --sync (a virtual environment only): anything installed that the lock does not name is
   uninstalled (as pip-sync does), so the environment is the lock and nothing else. Cairn's
   own distribution is kept.
3. Cairn, editable, with its test and build extras, from the source folder: `--no-index` (nothing
   is downloaded, so whatever pyproject.toml asks for must already be there from the lock) and
   `--no-build-isolation` (the build backend, setuptools and wheel, is the lock's too). If this
   step fails, pyproject.toml asks for something the lock does not satisfy: relock
   (`bash scripts/upgrade-lock.sh --keep`).

scripts/_setup.sh (hence scripts/run.sh and scripts/test.sh) runs it with --sync in .venv; the
release workflow runs it without --sync in the runner's Python.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOCK = ROOT / "requirements" / "lock.txt"
PROJECT = "cairn"
EXTRAS = "test,build"
# "name==version" or "name[extra]==version" at the start of a line of a requirements file.
PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==")


def normalise(name: str) -> str:
    """PEP 503 form: "PySide6_Essentials" and "pyside6-essentials" are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_names(lock: Path) -> set[str]:
    """Every package the lock pins, whatever its environment marker says."""
    return {normalise(match.group(1))
            for line in lock.read_text(encoding="utf-8").splitlines()
            if (match := PINNED.match(line))}


def installed_names() -> set[str]:
    """The distributions installed in this environment's own site-packages."""
    site_dirs = {Path(sysconfig.get_path(key)).resolve() for key in ("purelib", "platlib")}
    names = set()
    for dist in metadata.distributions():
        location = Path(str(dist.locate_file(""))).resolve()
        name = dist.metadata["Name"]
        if name and location in site_dirs:
            names.add(normalise(name))
    return names


def pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", *args]
    result = subprocess.run(command, check=False)
    if result.returncode != 0:
        raise SystemExit(result.returncode)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--lock", type=Path, default=DEFAULT_LOCK,
                        help="the requirements file with hashes (default: requirements/lock.txt)")
    parser.add_argument("--sync", action="store_true",
                        help="also uninstall what the lock does not name (virtual environment)")
    args = parser.parse_args(argv)
    lock = args.lock.resolve()
    if not lock.is_file():
        print(f"no lock file {lock}", file=sys.stderr)
        return 1
    if args.sync and sys.prefix == sys.base_prefix:
        print(f"--sync removes packages: use it in a virtual environment, not {sys.prefix}",
              file=sys.stderr)
        return 1
    quiet = [] if os.environ.get("CAIRN_INSTALL_VERBOSE") else ["-q"]

    pip("install", *quiet, "--require-hashes", "-r", str(lock))

    if args.sync:
        extra = sorted(installed_names() - locked_names(lock) - {PROJECT})
        if extra:
            print(f"Removing what {lock.name} does not have: {' '.join(extra)}")
            pip("uninstall", "-q", "-y", *extra)

    # The build backend's warnings are shown only if the step fails.
    command = [sys.executable, "-m", "pip", "install", "-q", "--no-index",
               "--no-build-isolation", "-e", f"{ROOT}[{EXTRAS}]"]
    result = subprocess.run(command, check=False, capture_output=True, text=True)
    if result.returncode != 0 or quiet == []:
        print(result.stdout + result.stderr, end="", file=sys.stderr)
    if result.returncode != 0:
        print(f"\nInstalling Cairn from {ROOT} failed (above). If pyproject.toml asks for "
              f"something that {lock.name} does not have,\nrelock, keeping the other versions: "
              "bash scripts/upgrade-lock.sh --keep", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
