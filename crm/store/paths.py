"""Where crm keeps its database, configuration and bundled resources."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "crm"


def default_db_path() -> Path:
    """The platform user-data dir, e.g. ~/.local/share/crm/crm.db on Linux."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "crm.db"


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def resolve_db_path(explicit: str | os.PathLike[str] | None) -> tuple[Path, bool]:
    """Return (path, chosen_by_user): --db wins over $CRM_DB over the default.

    A path the user chose must already have its folder; the default one we create.
    """
    if explicit:
        return Path(explicit).expanduser(), True
    env = os.environ.get("CRM_DB")
    if env:
        return Path(env).expanduser(), True
    return default_db_path(), False


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
