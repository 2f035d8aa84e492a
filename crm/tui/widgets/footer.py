"""The footer every screen shows: every binding, compact, and the palette hint only where it fits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

# Below this width the screens' own keys need the whole line; ctrl+p is listed in the help (?) instead.
PALETTE_HINT_MIN_WIDTH = 100


class CrmFooter(Footer):
    """Redrawn only when what it shows changes: Textual's footer rebuilds its keys on every change of focus.

    (Rebuilding a dozen keys costs about as much as drawing the rest of a screen: it showed in the first paint.)
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._composed_for: tuple | None = None

    def on_resize(self, event: events.Resize) -> None:
        self.show_command_palette = event.size.width >= PALETTE_HINT_MIN_WIDTH

    def bindings_changed(self, screen: Screen) -> None:
        shown = (
            self.show_command_palette,
            *((b, enabled, tooltip) for _, b, enabled, tooltip in screen.active_bindings.values() if b.show),
        )
        if shown == self._composed_for and self._bindings_ready:
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:  # when Footer recomposes
            self._composed_for = shown
        super().bindings_changed(screen)
