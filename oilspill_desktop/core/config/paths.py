"""Where the app keeps its files: the one place that knows, so tests can move it all.

Folders come from platformdirs (the right ones on Linux, Windows and macOS). Setting the
environment variable ``OILSPILL_DESKTOP_HOME`` puts every folder under that one directory,
which the tests use to keep each test's files apart and away from the user's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_DIR_NAME = "oilspill-desktop"
HOME_ENV = "OILSPILL_DESKTOP_HOME"


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def jobs_dir(self) -> Path:
        """Per-job working folders: results land here as each image finishes."""
        return self.cache_dir / "jobs"

    @property
    def fallback_output_dir(self) -> Path:
        """Where results go when the folder beside the input is not writable."""
        return self.data_dir / "results"

    def ensure(self) -> AppPaths:
        for folder in (self.config_dir, self.data_dir, self.cache_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def app_paths() -> AppPaths:
    """The app's folders, honouring ``OILSPILL_DESKTOP_HOME``; not created until ``ensure``."""
    override = os.environ.get(HOME_ENV)
    if override:
        root = Path(override).expanduser()
        return AppPaths(root / "config", root / "data", root / "cache", root / "logs")
    dirs = platformdirs.PlatformDirs(APP_DIR_NAME, appauthor=False)
    return AppPaths(
        Path(dirs.user_config_dir),
        Path(dirs.user_data_dir),
        Path(dirs.user_cache_dir),
        Path(dirs.user_log_dir),
    )
