"""The build step pyproject.toml cannot declare: the translation catalogs
(resources/translations/*.ts) are compiled to .qm inside the built package, so that
``pip install .`` and a wheel ship desktop_app/resources/translations/*.qm. Without them
Cairn can only be English (and then offers no other language).

Everything else about the package is in pyproject.toml. An editable install reads the
source folder instead: there ``scripts/update_translations.sh --compile`` (run by set-up)
puts the .qm files beside the .ts ones.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
CATALOGS = ROOT / "resources" / "translations"
PACKAGED_CATALOGS = Path("desktop_app", "resources", "translations")  # inside build_lib

# PySide6's own launcher of Qt's lrelease (what the pyside6-lrelease command runs): it finds
# the tool and its libraries wherever PySide6 is installed, the build's isolated environment
# included (PySide6 is a build requirement in pyproject.toml).
_LRELEASE = "import sys; from PySide6.scripts.pyside_tool import lrelease; sys.exit(lrelease())"


def compile_catalogs(source: Path, target: Path) -> list[Path]:
    """Every ``source/*.ts`` compiled to ``target/<name>.qm``; the .qm files written.

    Raises:
        RuntimeError: there is no catalog, or lrelease failed on one (a build must not
            quietly ship an English-only Cairn).
    """
    catalogs = sorted(source.glob("*.ts"))
    if not catalogs:
        raise RuntimeError(f"no translation catalogs (*.ts) in {source}")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for catalog in catalogs:
        compiled = target / catalog.with_suffix(".qm").name
        result = subprocess.run(
            [sys.executable, "-c", _LRELEASE, "-silent", str(catalog), "-qm", str(compiled)],
            capture_output=True, text=True, check=False,
        )
        if result.returncode != 0 or not compiled.is_file():
            raise RuntimeError(
                f"lrelease failed on {catalog.name}:\n{result.stdout}{result.stderr}")
        written.append(compiled)
    return written


class BuildPyWithCatalogs(build_py):
    """setuptools' build_py, then the catalogs compiled into the built package."""

    def run(self) -> None:
        super().run()
        if not self.dry_run:
            compile_catalogs(CATALOGS, Path(self.build_lib) / PACKAGED_CATALOGS)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        target = Path(self.build_lib) / PACKAGED_CATALOGS
        return outputs + [str(target / ts.with_suffix(".qm").name)
                          for ts in sorted(CATALOGS.glob("*.ts"))]


if __name__ == "__main__":
    setup(cmdclass={"build_py": BuildPyWithCatalogs})
