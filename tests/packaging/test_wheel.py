"""What ``pip install .`` installs: every package of Cairn and its compiled translations
(setup.py's build step), so an installed Cairn can be Chinese and not only English."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from setuptools.dist import Distribution

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def load_setup():
    spec = importlib.util.spec_from_file_location("cairn_setup", ROOT / "setup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # setup() itself runs only as __main__
    return module


def test_every_package_is_in_the_wheel_list():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {".".join(path.parent.relative_to(ROOT).parts)
             for path in (ROOT / "desktop_app").rglob("__init__.py")
             if "resources" not in path.parts}
    assert found | {"desktop_app.resources"} == listed


def test_the_build_needs_pyside_for_lrelease():
    assert any(r.startswith("PySide6") for r in PYPROJECT["build-system"]["requires"])


def test_build_step_compiles_every_catalog_into_the_package(tmp_path):
    setup = load_setup()
    command = setup.BuildPyWithCatalogs(Distribution({"name": "cairn-test", "packages": []}))
    command.initialize_options()
    command.build_lib = str(tmp_path)
    command.finalize_options()
    command.run()
    catalogs = sorted((ROOT / "resources" / "translations").glob("*.ts"))
    built = sorted((tmp_path / "desktop_app" / "resources" / "translations").glob("*.qm"))
    assert [q.stem for q in built] == [ts.stem for ts in catalogs] and built
    assert [Path(p).name for p in command.get_outputs() if p.endswith(".qm")] == [
        q.name for q in built]
    translator = QTranslator()
    assert translator.load(str(built[0]))
    assert translator.translate("SettingsDialog", "General") == "常规"


def test_build_step_refuses_to_ship_no_catalogs(tmp_path):
    setup = load_setup()
    with pytest.raises(RuntimeError, match="no translation catalogs"):
        setup.compile_catalogs(tmp_path / "none", tmp_path / "out")
    broken = tmp_path / "cairn_xx.ts"
    broken.write_text("<TS version='2.1'><context>", "utf-8")
    with pytest.raises(RuntimeError, match="lrelease failed"):
        setup.compile_catalogs(tmp_path, tmp_path / "out")


@pytest.mark.packaging
@pytest.mark.skipif(os.environ.get("CAIRN_TEST_PACKAGING") != "1",
                    reason="builds a wheel in an isolated environment: CAIRN_TEST_PACKAGING=1")
def test_a_built_wheel_holds_every_package_and_the_compiled_catalogs(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        capture_output=True, text=True, check=False, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    wheel = next(tmp_path.glob("cairn-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "desktop_app/resources/translations/cairn_zh_CN.qm" in names
    assert "desktop_app/ui/window/main_window.py" in names
    assert "desktop_app/resources/icons/system-prompt.svg" in names
