"""A file path input that completes what is typed from the disk, the way a shell does (tab or → accepts)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

# A folder with more entries than this is not worth listing on a keystroke (a completion is a convenience).
MAX_ENTRIES = 5_000


def typed_path(text: str) -> Path:
    """The path meant by what was typed or pasted: surrounding quotes and shell escapes dropped, `~` expanded.

    Dragging a file into a terminal pastes it quoted ('/a b/c.csv') or escaped (/a\\ b/c.csv).
    """
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    elif "\\ " in text:
        text = text.replace("\\ ", " ")
    return Path(os.path.expanduser(text))


def complete_path(typed: str, *, suffixes: tuple[str, ...] = ()) -> str | None:
    """`typed` completed from the entries of its folder that its last part begins, or None.

    What those entries share beyond what was typed, if anything; else the first of them: folders (with a trailing
    slash, so the next part can be typed at once) and files ending in one of `suffixes` before other files, an
    exact-case match before one that only matches ignoring case (whose case the completion then corrects).
    Hidden entries only when a dot was typed.
    """
    if not typed or typed[0] in "'\"":
        return None
    if typed == "~":
        return "~/"
    head, sep, prefix = typed.rpartition("/")
    folder = os.path.expanduser(head + sep) if sep else "."
    folded = prefix.casefold()
    found: list[tuple[tuple, str]] = []
    try:
        with os.scandir(folder) as entries:
            for n, entry in enumerate(entries):
                if n >= MAX_ENTRIES:
                    break
                name = entry.name
                if not name.casefold().startswith(folded) or (name.startswith(".") and not prefix.startswith(".")):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                wanted = is_dir or name.casefold().endswith(suffixes)
                rank = (not name.startswith(prefix), not wanted, name.casefold())
                found.append((rank, name + ("/" if is_dir else "")))
    except OSError:  # no such folder (yet), or not ours to list
        return None
    if not found:
        return None
    # Like a shell: several names share more than was typed ("Connections-2019.csv", "Connections-sample.csv"):
    # that much first, so one more letter picks; else the best of them.
    exact = [name for rank, name in found if not rank[0]]
    shared = os.path.commonprefix(exact) if len(exact) > 1 else ""
    completed = head + sep + (shared if len(shared) > len(prefix) else min(found)[1])
    return completed if completed != typed else None


class PathSuggester(Suggester):
    """Completes file system paths; the folder is listed off the UI thread (a network drive can be slow)."""

    def __init__(self, *, suffixes: tuple[str, ...] = ()) -> None:
        # No cache: files come and go (an export unzipped while the dialog is open), and a listing is cheap.
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = tuple(s.casefold() for s in suffixes)

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(complete_path, value, suffixes=self.suffixes)


class PathInput(Input):
    """An input for a file path: the completion shows greyed after the cursor; tab or → takes it."""

    BINDINGS = [Binding("tab", "complete", "Complete", show=False)]

    def __init__(self, value: str = "", *, suffixes: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(value, suggester=PathSuggester(suffixes=suffixes), **kwargs)

    def action_complete(self) -> None:
        """Take the completion when there is one at the cursor; otherwise tab moves on, as it does elsewhere."""
        if self.cursor_at_end:
            before = self.value
            self.action_cursor_right()  # Input's own way to accept a suggestion
            if self.value != before:
                return
        self.screen.focus_next()
