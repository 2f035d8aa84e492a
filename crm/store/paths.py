"""Where crm keeps its database, configuration and bundled resources."""

from __future__ import annotations

import os
from pathlib import Path

from crm.errors import CrmError

APP_NAME = "crm"


class NotAFilePath(CrmError):
    """A database path that names a folder (`/x/new/`, `/x/new/.`): refused rather than creating a file `new`."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


def default_db_path() -> Path:
    """The platform user-data dir, e.g. ~/.local/share/crm/crm.db on Linux."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "crm.db"


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def resolve_db_path(explicit: str | os.PathLike[str] | None) -> tuple[Path, bool]:
    """Return (path, chosen_by_user): --db wins over $CRM_DB over the default.

    A path the user chose must already have its folder; the default one we create. NotAFilePath for a path
    that ends in a slash (or `/.`, `/..`): Path() would drop the slash and crm would create a file where the
    user meant a folder.
    """
    if explicit:
        return _database_file(os.fspath(explicit), "--db"), True
    env = os.environ.get("CRM_DB")
    if env:
        return _database_file(env, "$CRM_DB"), True
    return default_db_path(), False


def _database_file(text: str, source: str) -> Path:
    path = Path(text).expanduser()
    last = text
    for separator in filter(None, (os.sep, os.altsep)):
        last = last.rsplit(separator, 1)[-1]
    if last in ("", ".", ".."):
        raise NotAFilePath(
            f"{source} {text} names a folder: give the path of a database file, such as {path / 'crm.db'}", path
        )
    return path


def resource_dir(name: str) -> Path:
    """A bundled folder (`templates`, `migrations`).

    In a wheel they live inside the package; in a source checkout (editable install)
    they are the top-level folders beside `crm/`.
    """
    here = Path(__file__).resolve().parent.parent  # the crm package
    packaged = here / name
    if packaged.is_dir():
        return packaged
    return here.parent / name
