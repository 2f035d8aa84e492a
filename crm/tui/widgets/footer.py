"""The footer every screen shows: every binding, compact, and the palette hint only where it fits."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

# Below this width the screens' own keys need the whole line; ctrl+p is listed in the help (?) instead.
PALETTE_HINT_MIN_WIDTH = 100


class CrmFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)

    def on_resize(self, event: events.Resize) -> None:
        self.show_command_palette = event.size.width >= PALETTE_HINT_MIN_WIDTH
