"""The installers' ingredients: desktop entry, AppStream metadata, icons, the PyInstaller spec,
the build script, the .deb layout and the release workflow.

The fast tests always run (a tool that is not installed skips only the check that needs it).
The end-to-end test builds the .deb, installs it on this machine, opens the installed app on
Xvfb and removes it again; it runs only with CAIRN_TEST_PACKAGING=1, as root, on Debian/Ubuntu.
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from desktop_app import __version__
from tests.conftest import TEST_KEY
from tests.fake_api import FakeAnthropicServer

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
DESKTOP_FILE = RESOURCES / "cairn.desktop"
APPSTREAM_ID = "io.github.cairn.Cairn"
METAINFO = RESOURCES / f"{APPSTREAM_ID}.metainfo.xml"
SPEC = ROOT / "packaging" / "cairn.spec"
BUILD_SCRIPT = ROOT / "packaging" / "build.py"
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

packaging_mark = pytest.mark.packaging


def load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cairn_packaging_build", BUILD_SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- desktop entry and AppStream ----------------------------------------------------------------

def read_desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  (keys are case-sensitive)
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_matches_the_app():
    entry = read_desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Cairn"
    assert entry["Exec"].split()[0] == "cairn"
    assert entry["Icon"] == "cairn"
    assert entry["Terminal"] == "false"
    # The app calls setDesktopFileName("cairn"): Wayland's app id and X11's WM_CLASS
    # instance are "cairn", which must name this file and match StartupWMClass.
    assert DESKTOP_FILE.stem == "cairn"
    assert entry["StartupWMClass"] == "cairn"
    assert "Chat" in entry["Categories"].split(";")
    assert (ROOT / "desktop_app" / "app.py").read_text("utf-8").count('setDesktopFileName("cairn")')


def test_desktop_entry_validates():
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate is not installed (apt-get install desktop-file-utils)")
    result = subprocess.run([tool, str(DESKTOP_FILE)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()


def test_metainfo_matches_the_app():
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APPSTREAM_ID
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("name") == "Cairn"
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP_FILE.name
    releases = root.findall("releases/release")
    assert releases, "no <release> in the metainfo"
    # Software centres show the newest release first: each new version needs its entry.
    assert releases[0].get("version") == __version__, (
        f"add <release version=\"{__version__}\" date=\"...\"> to {METAINFO.name}")


def test_metainfo_validates():
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.skip("appstreamcli is not installed (apt-get install appstream)")
    result = subprocess.run([tool, "validate", "--no-net", "--no-color", str(METAINFO)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    for line in result.stdout.splitlines():
        assert not line.startswith(("E:", "W:")), result.stdout


# -- icons --------------------------------------------------------------------------------------

def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", ICON_SIZES)
def test_app_icon_png_exists_at_every_size(size: int):
    path = RESOURCES / "icons" / "app" / f"cairn-{size}.png"
    assert path.exists(), f"{path} missing: run python scripts/make_icons.py"
    assert png_size(path) == (size, size)


def test_windows_and_macos_icons_exist():
    from PIL import Image

    with Image.open(RESOURCES / "cairn.ico") as ico:
        assert {(s, s) for s in (16, 32, 48, 256)} <= set(ico.info["sizes"])
    assert (RESOURCES / "cairn.icns").read_bytes()[:4] == b"icns"


# -- the PyInstaller spec and the build script ------------------------------------------------

class _Recorder:
    """Stands in for one of PyInstaller's spec classes: remembers how it was called."""

    def __init__(self, calls: dict[str, Any], kind: str) -> None:
        self.calls, self.kind = calls, kind

    def __call__(self, *args: Any, **kwargs: Any) -> SimpleNamespace:
        self.calls[self.kind] = SimpleNamespace(args=args, kwargs=kwargs)
        return SimpleNamespace(binaries=[], datas=[], pure=[], scripts=[], zipped_data=[])


def run_spec(platform: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Execute cairn.spec as PyInstaller would on ``platform``, with its build steps recorded
    instead of run (PyInstaller itself need not be installed)."""
    hooks = ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda name, filter=None: [name]  # type: ignore[attr-defined]
    hooks.copy_metadata = lambda name: [(f"{name}.dist-info", name)]  # type: ignore[attr-defined]
    hooks.collect_data_files = lambda name: [(f"{name}/data", name)]  # type: ignore[attr-defined]
    for name, module in (("PyInstaller", ModuleType("PyInstaller")),
                         ("PyInstaller.utils", ModuleType("PyInstaller.utils")),
                         ("PyInstaller.utils.hooks", hooks)):
        monkeypatch.setitem(sys.modules, name, module)
    calls: dict[str, Any] = {}
    namespace: dict[str, Any] = {"SPECPATH": str(SPEC.parent), "__name__": "__main__"}
    for kind in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE"):
        namespace[kind] = _Recorder(calls, kind)
    with monkeypatch.context() as patch:
        patch.setattr(sys, "platform", platform)
        exec(compile(SPEC.read_text("utf-8"), str(SPEC), "exec"), namespace)  # noqa: S102
    calls["namespace"] = namespace
    return calls


def test_build_script_and_spec_agree_on_the_version(monkeypatch: pytest.MonkeyPatch):
    build = load_build_script()
    assert build.read_version() == __version__
    calls = run_spec("darwin", monkeypatch)
    assert calls["namespace"]["VERSION"] == __version__
    bundle = calls["BUNDLE"].kwargs
    assert bundle["version"] == __version__
    assert bundle["info_plist"]["CFBundleShortVersionString"] == __version__
    assert bundle["info_plist"]["NSHighResolutionCapable"] is True
    assert bundle["bundle_identifier"] == APPSTREAM_ID
    assert bundle["name"] == "Cairn.app"
    assert build.APPSTREAM_ID == APPSTREAM_ID


@pytest.mark.parametrize("platform,icon", [
    ("linux", None), ("win32", "cairn.ico"), ("darwin", "cairn.icns"),
])
def test_spec_builds_a_windowed_cairn_folder(platform: str, icon: str | None,
                                             monkeypatch: pytest.MonkeyPatch):
    calls = run_spec(platform, monkeypatch)
    exe = calls["EXE"].kwargs
    assert exe["name"] == "cairn" and exe["console"] is False
    assert exe["exclude_binaries"] is True  # one folder, not one file
    if icon is None:
        assert exe["icon"] is None
    else:
        assert [Path(p).name for p in exe["icon"]] == [icon]
        assert Path(exe["icon"][0]).exists()
    assert calls["COLLECT"].kwargs["name"] == "cairn"
    assert ("BUNDLE" in calls) == (platform == "darwin")

    analysis = calls["Analysis"]
    assert Path(analysis.args[0][0]) == ROOT / "packaging" / "launch.py"
    kwargs = analysis.kwargs
    for module in ("keyring.backends", "anthropic", "qasync", "desktop_app.resources", "mcp"):
        assert module in kwargs["hiddenimports"]
    # The MCP SDK's JSON Schema checks need the meta-schemas.
    assert any(dest.startswith("jsonschema_specifications") for _src, dest in kwargs["datas"])
    for module in ("tkinter", "gi", "tests", "pytest", "hypothesis", "IPython", "numpy"):
        assert module in kwargs["excludes"]
    # The maths typesetter's fonts and tables, and latex2mathml's metadata (its version).
    for package in ("ziamath", "ziafont", "latex2mathml"):
        assert (f"{package}/data", package) in kwargs["datas"]
    assert ("latex2mathml.dist-info", "latex2mathml") in kwargs["datas"]
    shipped = {Path(src).relative_to(RESOURCES).as_posix(): dest for src, dest in kwargs["datas"]
               if Path(src).is_relative_to(RESOURCES)}
    assert shipped["prices.json"] == "desktop_app/resources"
    assert shipped["cairn.svg"] == "desktop_app/resources"
    for svg in (RESOURCES / "icons").glob("*.svg"):
        assert shipped[f"icons/{svg.name}"] == "desktop_app/resources/icons"


def test_launcher_runs_main_and_exits_with_its_code():
    source = (ROOT / "packaging" / "launch.py").read_text("utf-8")
    assert "from desktop_app.app import main" in source
    assert "sys.exit(main())" in source


def test_debian_versions_sort_like_python_versions():
    build = load_build_script()
    assert build.debian_version("0.1.0") == "0.1.0"
    assert build.debian_version("0.2.0rc1") == "0.2.0~rc1"
    assert build.debian_version("1.0.0b2") == "1.0.0~b2"
    assert build.debian_version("1.0.dev3") == "1.0~dev3"


def test_deb_layout(tmp_path: Path):
    """build_deb on a stand-in app folder: paths, links, modes and control fields."""
    if shutil.which("dpkg-deb") is None or not sys.platform.startswith("linux"):
        pytest.skip("dpkg-deb is not available")
    build = load_build_script()
    dist, work = tmp_path / "dist", tmp_path / "build"
    app = dist / "cairn"
    (app / "_internal").mkdir(parents=True)
    (app / "cairn").write_text("#!/bin/sh\necho Cairn\n")
    (app / "cairn").chmod(0o700)
    (app / "_internal" / "data.txt").write_text("x")
    (app / "_internal" / "data.txt").chmod(0o600)

    deb = build.build_deb(__version__, dist=dist, work=work)

    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    assert deb == dist / f"cairn_{build.debian_version(__version__)}_{arch}.deb"

    def field(name: str) -> str:
        return subprocess.run(["dpkg-deb", "--field", str(deb), name], capture_output=True,
                              text=True, check=True).stdout.strip()

    assert field("Package") == "cairn"
    assert field("Version") == build.debian_version(__version__)
    assert field("Architecture") == arch
    depends = {d.strip() for d in field("Depends").split(",")}
    assert {"libegl1", "libgl1", "libfontconfig1", "libdbus-1-3", "libxkbcommon0",
            "libxkbcommon-x11-0", "libxcb-cursor0"} <= depends

    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True,
                             text=True, check=True).stdout
    entries = {}
    for line in listing.splitlines():
        mode, owner, *_rest = line.split()
        path = line.split(" ./", 1)[1] if " ./" in line else ""
        entries[path.split(" -> ")[0]] = (mode, owner, line)
    assert all(owner == "root/root" for _mode, owner, _line in entries.values())
    assert entries["opt/cairn/cairn"][0] == "-rwxr-xr-x"
    assert entries["opt/cairn/_internal/data.txt"][0] == "-rw-r--r--"
    assert "-> /opt/cairn/cairn" in entries["usr/bin/cairn"][2]
    assert "usr/share/applications/cairn.desktop" in entries
    assert f"usr/share/metainfo/{APPSTREAM_ID}.metainfo.xml" in entries
    assert "usr/share/icons/hicolor/scalable/apps/cairn.svg" in entries
    for size in ICON_SIZES:
        assert f"usr/share/icons/hicolor/{size}x{size}/apps/cairn.png" in entries

    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "--control", str(deb), str(control)], check=True)
    for script in ("postinst", "postrm"):
        assert os.access(control / script, os.X_OK)
        # Runs harmlessly as any user, whatever is installed, and never fails.
        result = subprocess.run(["/bin/sh", str(control / script), "configure"],
                                capture_output=True, text=True, check=False,
                                env={**os.environ, "PATH": "/nonexistent"})
        assert result.returncode == 0, result.stderr


# -- the release workflow -----------------------------------------------------------------------

def test_release_workflow_parses():
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed")
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "v*" in triggers["push"]["tags"]
    assert "workflow_dispatch" in triggers
    build = workflow["jobs"]["build"]
    systems = build["strategy"]["matrix"]["os"]
    assert any(s.startswith("ubuntu") for s in systems)
    assert any(s.startswith("windows") for s in systems)
    assert any(s.startswith("macos") for s in systems)
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "packaging/build.py --deb" in runs
    assert "packaging/macos/make_dmg.sh" in runs
    assert "/DAppVersion=" in runs and "packaging\\windows\\cairn.iss" in runs
    assert any("setup-python" in step.get("uses", "") and
               step["with"]["python-version"] == "3.11" for step in build["steps"])


# -- end to end: build, install, run, remove ----------------------------------------------------

def _run(*command: str, timeout: float = 120, **kwargs: Any) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False,
                          **kwargs)


def _deb_installed(name: str) -> bool:
    result = _run("dpkg-query", "-W", "-f=${Status}", name)
    return result.returncode == 0 and "install ok installed" in result.stdout


@packaging_mark
@pytest.mark.timeout(900)
@pytest.mark.skipif(os.environ.get("CAIRN_TEST_PACKAGING") != "1",
                    reason="builds and installs the .deb: set CAIRN_TEST_PACKAGING=1")
def test_deb_installs_runs_and_uninstalls(tmp_path: Path):
    if not sys.platform.startswith("linux") or shutil.which("apt-get") is None:
        pytest.skip("needs Debian or Ubuntu (apt-get)")
    if os.geteuid() != 0:
        pytest.skip("installs a package: run as root")
    for tool in ("Xvfb", "xdotool", "dpkg-deb"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt-get install xvfb xdotool)")
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip('PyInstaller is not installed: pip install -e ".[build]"')
    if _deb_installed("cairn"):
        pytest.skip("a cairn package is already installed; this test would remove it")
    timings: dict[str, float] = {}
    started = time.monotonic()

    result = _run(sys.executable, str(BUILD_SCRIPT), "--deb", timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "window shown, resources loaded" in result.stdout
    timings["build"] = time.monotonic() - started

    build = load_build_script()
    debs = sorted((ROOT / "dist").glob(f"cairn_{build.debian_version(__version__)}_*.deb"))
    assert len(debs) == 1, debs
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    started = time.monotonic()
    result = _run("apt-get", "install", "-y", "--no-install-recommends", f"./{debs[0].name}",
                  cwd=debs[0].parent, env=apt_env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    timings["install"] = time.monotonic() - started
    try:
        assert Path("/usr/bin/cairn").resolve() == Path("/opt/cairn/cairn")
        version = _run("/usr/bin/cairn", "--version")
        assert version.returncode == 0 and version.stdout.strip() == f"Cairn {__version__}"
        installed_entry = Path("/usr/share/applications/cairn.desktop")
        assert installed_entry.exists()
        assert Path("/usr/share/icons/hicolor/256x256/apps/cairn.png").exists()
        assert Path(f"/usr/share/metainfo/{APPSTREAM_ID}.metainfo.xml").exists()
        if shutil.which("desktop-file-validate"):
            assert _run("desktop-file-validate", str(installed_entry)).returncode == 0

        timings.update(_open_and_close_installed_app(tmp_path))
    finally:
        started = time.monotonic()
        removed = _run("apt-get", "remove", "--purge", "-y", "cairn", env=apt_env, timeout=300)
        timings["remove"] = time.monotonic() - started
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not _deb_installed("cairn")
    assert not Path("/opt/cairn").exists()
    assert not Path("/usr/bin/cairn").exists() and not Path("/usr/bin/cairn").is_symlink()
    assert not Path("/usr/share/applications/cairn.desktop").exists()
    print("packaging end-to-end timings: "
          + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in timings.items()))


def _open_and_close_installed_app(tmp_path: Path) -> dict[str, float]:
    """Start /usr/bin/cairn on a fresh Xvfb, wait for its window, close it with Ctrl+Q."""
    display = ":97"
    socket = Path("/tmp/.X11-unix/X97")
    if socket.exists():
        pytest.fail(f"display {display} is already in use ({socket} exists)")
    xvfb_log, app_log = tmp_path / "xvfb.log", tmp_path / "cairn.log"
    with xvfb_log.open("wb") as log:
        xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24"],
                                stdout=subprocess.DEVNULL, stderr=log)
    app: subprocess.Popen[bytes] | None = None
    timings: dict[str, float] = {}
    try:
        _poll(lambda: socket.exists() or xvfb.poll() is not None, 20, "Xvfb to start")
        assert xvfb.poll() is None, "Xvfb exited: " + xvfb_log.read_text(errors="replace")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "QT_"))}
        env["DISPLAY"] = display
        env["QT_QPA_PLATFORM"] = "xcb"
        data_dir = tmp_path / "data"
        with FakeAnthropicServer(api_key=TEST_KEY) as server:
            env["ANTHROPIC_API_KEY"] = TEST_KEY
            env["ANTHROPIC_BASE_URL"] = server.base_url
            started = time.monotonic()
            with app_log.open("wb") as log:
                app = subprocess.Popen(["/usr/bin/cairn", "--data-dir", str(data_dir)],
                                       env=env, stdout=log, stderr=subprocess.STDOUT)
            window: list[str] = []

            def window_shown() -> bool:
                assert app is not None
                if app.poll() is not None:
                    return True
                found = _run("xdotool", "search", "--onlyvisible", "--name", "Cairn",
                             env=env, timeout=10)
                window[:] = found.stdout.split()
                return bool(window)

            _poll(window_shown, 60, "the Cairn window")
            assert app.poll() is None, "cairn exited early:\n" + app_log.read_text()
            timings["window"] = time.monotonic() - started
            _poll(lambda: any(r.path == "/v1/models" for r in server.requests), 30,
                  "the model list request")

            if shutil.which("xprop"):  # what StartupWMClass must match
                wm_class = _run("xprop", "-id", window[0], "WM_CLASS", env=env).stdout
                assert '"cairn"' in wm_class, wm_class

            _run("xdotool", "windowfocus", "--sync", window[0], env=env, timeout=10)
            _run("xdotool", "key", "--clearmodifiers", "ctrl+q", env=env, timeout=10)
            started = time.monotonic()
            try:
                code = app.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pytest.fail("cairn did not quit on Ctrl+Q within 30 s")
            timings["quit"] = time.monotonic() - started
            output = app_log.read_text(errors="replace")
            assert code == 0, output
            assert "Traceback" not in output, output
        assert (data_dir / "cache" / "models.json").exists()
    finally:
        for process in (app, xvfb):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    return timings


def _poll(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)
