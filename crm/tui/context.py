"""What the app hands down to its screens: where to read, what day it is, and how many writes it has seen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

    from crm.store.store import ReadConnection, Store


@dataclass
class AppContext:
    store: Store
    today: dt.date
    # Bumped on every write (DataChanged); a screen that loaded an older version reloads when it is shown.
    version: int = 0

    @property
    def reader(self) -> ReadConnection:
        return self.store.reader


def context_of(app: App) -> AppContext:
    """The context the crm app hands down, for what Textual builds itself (the command palette's providers)."""
    return app.context  # type: ignore[attr-defined]
