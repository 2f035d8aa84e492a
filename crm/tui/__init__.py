"""The terminal UI (`crm` with no command); imported only when it is opened, so the CLI stays lean."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crm.store.store import Store


def run_tui(store: Store) -> None:
    """Open `store` (creating or migrating the file; once per process) and run the app on it until the user quits.

    A CrmError from opening propagates before the screen is taken over, so the CLI reports it like any other.
    """
    # Start-up makes many objects that live as long as the app, and little garbage: collecting during it only
    # delays the first paint. The app resumes collection once its first frame is on screen.
    gc.disable()
    try:
        from crm.dates import today
        from crm.tui.app import create_app

        store.open()
        create_app(store=store, today=today()).run()
    finally:
        gc.enable()
