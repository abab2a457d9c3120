"""Build Cairn's desktop app with PyInstaller, smoke-test it, and (on Linux) package a .deb.

    python packaging/build.py [--deb] [--skip-smoke] [--verbose]

Needs the app and PyInstaller in the running Python, at the versions of requirements/lock.txt
(`python scripts/install_lock.py`); installs nothing itself. Run it on the system you are building for (PyInstaller does not cross-build).

1. The translations (resources/translations/*.ts) are compiled to .qm with pyside6-lrelease;
   PyInstaller then runs packaging/cairn.spec into build/ and dist/:
   dist/cairn/ (one folder, windowed) and, on macOS, dist/Cairn.app.
2. Smoke test: the frozen app is started with --smoke-test against the fake Anthropic API
   from tests/fake_api/, offscreen; the build fails unless it exits 0 and prints
   "window shown, resources loaded" (and `--version` prints the version); the frozen app's
   --smoke-test fails if a compiled translation is missing.
3. --deb (Linux): dist/cairn_<version>_<arch>.deb with the app in /opt/cairn, /usr/bin/cairn,
   the menu entry, icons and AppStream metadata (dpkg-deb, zstd).

The Windows installer (packaging/windows/cairn.iss) and the macOS disk image
(packaging/macos/make_dmg.sh) are made from dist/ afterwards; see .github/workflows/release.yml.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "cairn.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build"
RESOURCES = ROOT / "resources"
TRANSLATIONS = RESOURCES / "translations"
NAME = "cairn"
APP_NAME = "Cairn"
APPSTREAM_ID = "io.github.cairn.Cairn"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
SMOKE_MARKER = "window shown, resources loaded"
SMOKE_TIMEOUT = 120

# What the frozen Qt needs from the system (PyInstaller bundles the rest). libxcb-cursor0 and
# the other xcb libraries are for the X11 platform plugin; Wayland sessions use the Wayland
# client libraries every Wayland desktop has.
DEB_DEPENDS = [
    "libegl1", "libgl1", "libfontconfig1", "libfreetype6", "libdbus-1-3",
    "libxkbcommon0", "libxkbcommon-x11-0", "libx11-6", "libx11-xcb1",
    "libxcb1", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-xkb1", "libxcb-util1", "libxcb-randr0",
    "libxcb-render0", "libxcb-shm0", "libxcb-sync1", "libxcb-xfixes0",
]
# A font with Chinese characters, for the Simplified Chinese interface and for Chinese text in
# conversations (without one they show as boxes).
DEB_RECOMMENDS = ["libwayland-client0", "libwayland-cursor0", "libwayland-egl1", "libdrm2",
                  "fonts-noto-cjk | fonts-wqy-microhei"]
DEB_SUGGESTS = ["gnome-keyring | kwalletmanager"]

POSTINST_POSTRM = """\
#!/bin/sh
# Refresh the application menus and the icon cache. Never fails the (un)installation.
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q /usr/share/applications >/dev/null 2>&1 || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor >/dev/null 2>&1 || true
fi
exit 0
"""


class BuildError(Exception):
    """A step failed; the message says which and why."""


def read_version(root: Path = ROOT) -> str:
    """desktop_app.__version__, read from the source (the app is not imported)."""
    text = (root / "desktop_app" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.MULTILINE)
    if not match:
        raise BuildError("no __version__ in desktop_app/__init__.py")
    return match.group(1)


def debian_version(version: str) -> str:
    """PEP 440 -> Debian ordering: pre-releases sort before the release (0.2.0rc1 -> 0.2.0~rc1)."""
    return re.sub(r"\.?(a|b|rc|dev)(\d*)", r"~\1\2", version)


def frozen_executable() -> Path:
    if sys.platform == "darwin":
        return DIST / f"{APP_NAME}.app" / "Contents" / "MacOS" / NAME
    if sys.platform == "win32":
        return DIST / NAME / f"{NAME}.exe"
    return DIST / NAME / NAME


def step(title: str) -> float:
    print(f"\n== {title}", flush=True)
    return time.monotonic()


def done(started: float) -> None:
    print(f"   ({time.monotonic() - started:.1f} s)", flush=True)


# -- 1. PyInstaller -----------------------------------------------------------------------------

def check_inputs() -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise BuildError(
            f"PyInstaller is not installed in {sys.executable}: "
            "python scripts/install_lock.py  (the versions in requirements/lock.txt)"
        ) from None
    needed = [SPEC, RESOURCES / "cairn.svg", RESOURCES / "cairn.ico", RESOURCES / "cairn.icns"]
    needed += [RESOURCES / "icons" / "app" / f"cairn-{s}.png" for s in ICON_SIZES]
    missing = [str(p.relative_to(ROOT)) for p in needed if not p.exists()]
    if missing:
        raise BuildError(f"missing {', '.join(missing)} (icons: python scripts/make_icons.py)")


def lrelease_command() -> list[str]:
    """pyside6-lrelease from the running Python's scripts folder (it comes with PySide6)."""
    name = "pyside6-lrelease.exe" if sys.platform == "win32" else "pyside6-lrelease"
    tool = Path(sysconfig.get_path("scripts")) / name
    if tool.exists():
        return [str(tool)]
    found = shutil.which("pyside6-lrelease")
    if found:
        return [found]
    raise BuildError(f"pyside6-lrelease not found next to {sys.executable} (it comes with PySide6)")


def compile_translations(folder: Path = TRANSLATIONS) -> list[Path]:
    """resources/translations/<name>.ts -> <name>.qm beside it, which the spec ships
    (pyproject.toml's package data "translations/*.qm")."""
    sources = sorted(folder.glob("*.ts"))
    if not sources:
        raise BuildError(f"no translations in {folder}")
    compiled = []
    for source in sources:
        target = source.with_suffix(".qm")
        result = subprocess.run([*lrelease_command(), "-silent", str(source), "-qm", str(target)],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0 or not target.exists():
            raise BuildError(f"lrelease failed on {source.name}:\n{result.stdout}{result.stderr}")
        print(f"   {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
        compiled.append(target)
    return compiled


def run_pyinstaller(verbose: bool) -> None:
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm",
        "--distpath", str(DIST), "--workpath", str(WORK),
        "--log-level", "INFO" if verbose else "WARN",
        str(SPEC),
    ]
    print(" ".join(command), flush=True)
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise BuildError(f"PyInstaller failed (exit {result.returncode})")
    if not frozen_executable().exists():
        raise BuildError(f"PyInstaller did not produce {frozen_executable()}")


# -- 2. smoke test ------------------------------------------------------------------------------

def smoke_test(version: str) -> None:
    """Start the frozen app against the fake API; fail unless it reports a clean start/stop."""
    sys.path.insert(0, str(ROOT))
    from tests.fake_api import DEFAULT_API_KEY, FakeAnthropicServer

    executable = frozen_executable()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    env["QT_QPA_PLATFORM"] = "offscreen"

    result = _run(executable, ["--version"], env, timeout=60)
    if result.returncode != 0 or result.stdout.strip() != f"Cairn {version}":
        raise BuildError(_report("--version", result, f"expected 'Cairn {version}'"))
    print(f"   --version: {result.stdout.strip()}")

    with FakeAnthropicServer(api_key=DEFAULT_API_KEY) as server, \
            tempfile.TemporaryDirectory(prefix="cairn-smoke-") as data_dir:
        env["ANTHROPIC_API_KEY"] = DEFAULT_API_KEY
        env["ANTHROPIC_BASE_URL"] = server.base_url
        started = time.monotonic()
        result = _run(executable, ["--smoke-test", "--data-dir", data_dir], env, SMOKE_TIMEOUT)
        elapsed = time.monotonic() - started
        fetched_models = any(r.path == "/v1/models" for r in server.requests)
    problems = []
    if result.returncode != 0:
        problems.append(f"exit code {result.returncode}")
    if SMOKE_MARKER not in result.stdout:
        problems.append(f"no '{SMOKE_MARKER}' in its output")
    if "Traceback" in result.stderr:
        problems.append("a traceback on stderr")
    if not fetched_models:
        problems.append("it never asked the (fake) API for the model list")
    if problems:
        raise BuildError(_report("--smoke-test", result, "; ".join(problems)))
    for line in result.stdout.strip().splitlines():
        print(f"   {line}")
    print(f"   frozen app started and closed cleanly in {elapsed:.1f} s")


def _run(executable: Path, args: list[str], env: dict[str, str], timeout: float):
    try:
        return subprocess.run(
            [str(executable), *args], env=env, capture_output=True, text=True, check=False,
            encoding="utf-8", errors="replace", timeout=timeout, cwd=tempfile.gettempdir(),
        )
    except subprocess.TimeoutExpired as exc:
        raise BuildError(f"{executable.name} {' '.join(args)}: no exit after {timeout} s\n"
                         f"stdout: {exc.stdout!r}\nstderr: {exc.stderr!r}") from None


def _report(what: str, result: subprocess.CompletedProcess, problem: str) -> str:
    return (f"smoke test failed ({what}): {problem}\n"
            f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}")


# -- 3. .deb ------------------------------------------------------------------------------------

def build_deb(version: str, dist: Path = DIST, work: Path = WORK) -> Path:
    """dist/cairn_<version>_<arch>.deb from the app folder dist/cairn."""
    if not sys.platform.startswith("linux") or shutil.which("dpkg-deb") is None:
        raise BuildError("--deb needs Linux with dpkg-deb (Debian, Ubuntu)")
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    deb_version = debian_version(version)
    stage = work / "deb" / f"{NAME}_{deb_version}_{arch}"
    if stage.exists():
        shutil.rmtree(stage)

    # The app folder, the command, the menu entry, icons, AppStream metadata, licence.
    shutil.copytree(dist / NAME, stage / "opt" / NAME, symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    (stage / "usr" / "bin" / NAME).symlink_to(f"/opt/{NAME}/{NAME}")
    _install(RESOURCES / "cairn.desktop", stage / "usr/share/applications/cairn.desktop")
    for size in ICON_SIZES:
        _install(RESOURCES / "icons" / "app" / f"cairn-{size}.png",
                 stage / f"usr/share/icons/hicolor/{size}x{size}/apps/cairn.png")
    _install(RESOURCES / "cairn.svg", stage / "usr/share/icons/hicolor/scalable/apps/cairn.svg")
    _install(RESOURCES / f"{APPSTREAM_ID}.metainfo.xml",
             stage / f"usr/share/metainfo/{APPSTREAM_ID}.metainfo.xml")
    if (ROOT / "LICENSE").exists():
        _install(ROOT / "LICENSE", stage / f"usr/share/doc/{NAME}/copyright")

    debian = stage / "DEBIAN"
    debian.mkdir()
    installed_kib = sum(
        (p.lstat().st_size + 1023) // 1024 for p in stage.rglob("*") if not p.is_dir()
    )
    maintainer = "{} <{}>".format(
        os.environ.get("DEBFULLNAME", "The Cairn developers"),
        os.environ.get("DEBEMAIL", "cairn@users.noreply.github.com"),
    )
    control = textwrap.dedent(f"""\
        Package: {NAME}
        Version: {deb_version}
        Architecture: {arch}
        Maintainer: {maintainer}
        Installed-Size: {installed_kib}
        Depends: {", ".join(DEB_DEPENDS)}
        Recommends: {", ".join(DEB_RECOMMENDS)}
        Suggests: {", ".join(DEB_SUGGESTS)}
        Section: net
        Priority: optional
        Description: desktop chat client for the Claude API
         Cairn is a native desktop chat client for the Claude API. Replies stream in as
         they are written, every reply shows its tokens and cost, the API key is kept in
         the system keyring, and conversations are stored as plain JSON files.
        """)
    (debian / "control").write_text(control, encoding="utf-8")
    for script in ("postinst", "postrm"):
        (debian / script).write_text(POSTINST_POSTRM, encoding="utf-8")

    _normalise_modes(stage)
    for script in ("postinst", "postrm"):
        (debian / script).chmod(0o755)

    output = dist / f"{NAME}_{deb_version}_{arch}.deb"
    output.unlink(missing_ok=True)
    result = subprocess.run(
        ["dpkg-deb", "--build", "--root-owner-group", "-Zzstd", str(stage), str(output)],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise BuildError(f"dpkg-deb failed:\n{result.stdout}{result.stderr}")
    return output


def _install(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _normalise_modes(stage: Path) -> None:
    """0755 for folders and executables, 0644 for everything else, whatever the umask."""
    for path in [stage, *stage.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir() or path.stat().st_mode & 0o111:
            path.chmod(0o755)
        else:
            path.chmod(0o644)


# -- main ---------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build Cairn with PyInstaller and test it.")
    parser.add_argument("--deb", action="store_true", help="also build a .deb (Linux)")
    parser.add_argument("--skip-smoke", action="store_true",
                        help="do not start the frozen app (not for releases)")
    parser.add_argument("--verbose", action="store_true", help="show PyInstaller's full log")
    args = parser.parse_args(argv)

    total = time.monotonic()
    try:
        version = read_version()
        print(f"Cairn {version} on {sys.platform}, Python {sys.version.split()[0]}")
        check_inputs()
        if args.deb and not sys.platform.startswith("linux"):
            raise BuildError("--deb is for Linux only")

        started = step("translations")
        compile_translations()
        done(started)

        started = step("PyInstaller")
        run_pyinstaller(args.verbose)
        done(started)

        if args.skip_smoke:
            print("\n== smoke test SKIPPED (--skip-smoke)")
        else:
            started = step("smoke test of the frozen app")
            smoke_test(version)
            done(started)

        outputs = [DIST / NAME]
        if sys.platform == "darwin":
            outputs.append(DIST / f"{APP_NAME}.app")
        if args.deb:
            started = step(".deb")
            outputs.append(build_deb(version))
            done(started)
    except BuildError as exc:
        print(f"\nBUILD FAILED: {exc}", file=sys.stderr)
        return 1

    print(f"\nBuilt Cairn {version} in {time.monotonic() - total:.0f} s:")
    for path in outputs:
        size = path.stat().st_size if path.is_file() else sum(
            p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
        print(f"  {path}  ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
