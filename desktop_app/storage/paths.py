"""Where Cairn keeps its files: the platform's user directories, or one folder given by
``--data-dir`` (portable use and tests)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

APP_NAME = "Cairn"


class AppPaths(NamedTuple):
    """All the places Cairn reads and writes.

    A named tuple rather than a dataclass, and platformdirs imported only when asked for the
    default folders: the paths are needed before the window's first frame (see
    ui/startup_shell.py), where every import delays it.
    """

    data_dir: Path
    config_dir: Path
    cache_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        """The platform's directories (XDG variables are honoured on Linux)."""
        import platformdirs

        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )

    @classmethod
    def portable(cls, root: Path) -> AppPaths:
        """Everything below one folder."""
        root = root.expanduser().resolve()
        return cls(data_dir=root, config_dir=root / "config", cache_dir=root / "cache")

    @property
    def conversations_dir(self) -> Path:
        return self.data_dir / "conversations"

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def produced_files_dir(self) -> Path:
        """Files from the Files API (made by code execution), downloaded once."""
        return self.data_dir / "code_files"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def models_cache_file(self) -> Path:
        return self.cache_dir / "models.json"

    def ensure(self) -> None:
        """Create the directories (not an error if they exist)."""
        for path in (self.conversations_dir, self.attachments_dir, self.config_dir, self.cache_dir):
            path.mkdir(parents=True, exist_ok=True)
