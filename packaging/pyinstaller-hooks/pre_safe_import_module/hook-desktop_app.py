"""PyInstaller: find desktop_app.resources, which lives in <repo>/resources.

pyproject.toml maps the package desktop_app.resources to the folder resources/ (package-dir).
Python finds it through setuptools' editable-install finder, which PyInstaller's module
graph does not use, so the graph is told that desktop_app's sub-packages may also be found
in the repository root (only names the app imports are looked up there).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def pre_safe_import_module(api):
    api.append_package_path(str(ROOT))
