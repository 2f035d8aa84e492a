"""The terminal UI (`crm` with no command); imported only when it is opened, so the CLI stays lean."""

from __future__ import annotations

from pathlib import Path


def run_tui(db_path: Path, *, create_folder: bool) -> None:
    """Prepare (create or migrate) the database at `db_path`, then run the app on it until the user quits."""
    from crm.tui.app import run_tui as _run

    _run(db_path, create_folder=create_folder)
