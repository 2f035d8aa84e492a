"""Stored text shown at a terminal as text: control characters become visible escapes, never terminal commands.

A name, note or hook is data. Stored `ESC[2J`, an OSC 52 clipboard write or `ESC[1A ESC[2K \\r` (overwrite the line
above) must reach the screen as characters you can read. Each C0 control except newline and tab, DEL and each C1
control is shown as its JSON escape: ESC as the six characters `\\u001b`, DEL as `\\u007f`. The same spelling in
human output, in JSON (where a parser turns it back into the stored character) and in the app, so a value reads
alike everywhere and JSON written through `InertWriter` stays exact. Domain-neutral: the CLI wraps its streams in
`InertWriter`, the app hands `VISIBLE` to Textual (crm.tui.formatting).
"""

from __future__ import annotations

import re
from typing import TextIO

_CONTROL_CODES = (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))  # all but \t (0x09) and \n (0x0a)

# str.translate table: control character -> its visible escape.
VISIBLE: dict[int, str] = {code: f"\\u{code:04x}" for code in _CONTROL_CODES}

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# The only escape sequences crm writes itself, and only to a terminal: a failed check's words in red
# (crm.cli.output), a search match in yellow (crm.cli.contacts), and the reset after each. A stored copy of one
# of them is harmless colour; anything else with an ESC in it is shown, not obeyed.
RED = "\x1b[1;31m"
YELLOW = "\x1b[1;33m"
RESET = "\x1b[0m"
_CONTROL_OR_OWN_COLOUR = "\x1b\\[(?:1;31|1;33|0)m|[\x00-\x08\x0b-\x1f\x7f-\x9f]"  # compiled on first use


def inert(text: str) -> str:
    """`text` with every control character but newline and tab replaced by its visible escape."""
    return text.translate(VISIBLE) if _CONTROL.search(text) else text


# Display width: how many terminal columns text takes, so the CLI's tables line up under CJK names. unicodedata
# rather than wcwidth: it ships with Python, and only a cell with a non-ASCII character pays for a lookup.
# Zero columns: combining marks (the accent of a decomposed "é"), enclosing marks, format characters (zero-width
# joiner and space, soft hyphen), variation selectors, and Hangul vowels and final consonants that join the
# syllable before them. Two: East Asian Wide and Fullwidth characters (CJK, Hangul syllables, most emoji).
_HANGUL_JOINING = range(0x1160, 0x1200)


def char_width(char: str) -> int:
    """Terminal columns one character takes: 0, 1 or 2."""
    if char.isascii():
        return 1
    import unicodedata

    if unicodedata.category(char) in ("Mn", "Me", "Cf") or ord(char) in _HANGUL_JOINING:
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


_WIDTH_OF: dict[str, int] = {}  # each non-ASCII character looked up once per run


def text_width(text: str) -> int:
    """Terminal columns `text` takes on one line ("陈静" is 4, "Zoe\u0308" is 3); `len` when it is ASCII."""
    if text.isascii():
        return len(text)
    known = _WIDTH_OF
    width = 0
    for char in text:
        found = known.get(char)
        if found is None:
            found = known[char] = char_width(char)
        width += found
    return width


def pad_to_width(text: str, width: int) -> str:
    """`text` followed by the spaces that make it `width` columns wide (like str.ljust, counted in columns)."""
    return text + " " * (width - text_width(text))


def cut_to_width(text: str, width: int, *, ellipsis: str = "…") -> str:
    """`text` when it fits in `width` columns, else its start and `ellipsis` within them (a wide character that
    would straddle the edge is left out, and the result may then be a column short: pad it)."""
    if text_width(text) <= width:
        return text
    room = width - text_width(ellipsis)
    if room <= 0:
        return ellipsis if room == 0 else ""
    used = 0
    for end, char in enumerate(text):
        used += char_width(char)
        if used > room:  # a mark after the last character kept has width 0, so it is never cut from its base
            return text[:end] + ellipsis
    return text


def _inert_keeping_colour(text: str) -> str:
    if not _CONTROL.search(text):
        return text
    return re.sub(_CONTROL_OR_OWN_COLOUR, _shown, text)


def _shown(match: re.Match) -> str:
    found = match[0]
    return found if len(found) > 1 else VISIBLE[ord(found)]


class InertWriter:
    """A text stream that writes everything through `inert`, so nothing printed can drive the terminal.

    At a terminal crm's own colours (RED, YELLOW, RESET) pass; piped, nothing does. Its `buffer` filters too
    (click writes shell completions as bytes), so no library can reach the raw stream behind the filter's back:
    bytes that must go out unchanged (an export to '-') go through `ExactBytes(stream)`, by name. A failed write
    or flush (a full disk, a closed pipe) is kept in `failure` for crm.cli.main to report in one line.
    """

    def __init__(self, stream: TextIO) -> None:
        self.unfiltered = stream
        self.failure: OSError | None = None
        try:
            colour = stream.isatty()
        except (AttributeError, ValueError, OSError):
            colour = False
        self._inert = _inert_keeping_colour if colour else inert
        self._buffer: _InertBytes | None = None

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # click asks with b"" whether this is a binary stream: it is not
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        try:
            self.unfiltered.write(self._inert(text))
        except OSError as error:
            self.failure = error
            raise
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self.unfiltered.flush()
        except OSError as error:
            self.failure = error
            raise

    @property
    def buffer(self) -> _InertBytes:
        if self._buffer is None:
            self._buffer = _InertBytes(self)
        return self._buffer

    def __getattr__(self, name: str):
        if name == "unfiltered":  # not set yet (a copy being made): no endless lookup
            raise AttributeError(name)
        return getattr(self.unfiltered, name)


class _InertBytes:
    """An InertWriter's binary side: UTF-8 bytes decoded (a character split across writes waits) and filtered."""

    def __init__(self, text: InertWriter) -> None:
        import codecs

        self.text = text
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def write(self, data: bytes) -> int:
        self.text.write(self._decoder.decode(bytes(data)))
        return len(data)

    def flush(self) -> None:
        self.text.flush()


def unfiltered(stream: TextIO) -> TextIO:
    """The stream under an InertWriter (the stream itself otherwise)."""
    return stream.unfiltered if isinstance(stream, InertWriter) else stream


class ExactBytes:
    """Bytes to a text stream exactly as given, past its InertWriter: for machine formats (an export to '-').

    A failed write is kept in the InertWriter's `failure`, like one through the filter.
    """

    def __init__(self, stream: TextIO) -> None:
        self.owner = stream if isinstance(stream, InertWriter) else None
        self.text = unfiltered(stream)
        stream.flush()  # what was printed before comes first

    def write(self, data: bytes) -> None:
        buffer = getattr(self.text, "buffer", None)
        try:
            if buffer is None:  # a text-only stream (a test's StringIO): the bytes are UTF-8
                self.text.write(data.decode("utf-8"))
            else:
                buffer.write(data)
        except OSError as error:
            self._failed(error)

    def flush(self) -> None:
        try:
            self.text.flush()  # a TextIOWrapper flushes its buffer too
        except OSError as error:
            self._failed(error)

    def _failed(self, error: OSError):
        if self.owner is not None:
            self.owner.failure = error
        raise error


# -- a contact's position -----------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def words_of(text: str | None) -> list[str]:
    """Its words, case folded, apostrophes made one ("Spotify’s" -> "spotify's"): how a role, a team or a question
    is compared word by word (`position`, and crm.insights.prep's near copies)."""
    return _WORD.findall((text or "").casefold().replace("’", "'"))


def position(role: str | None, team: str | None, company: str | None) -> list[str]:
    """Role, team and company as shown together, each left out when an earlier one already says it in whole words:
    ("Product Manager, Discovery", "Discovery", "Spotify") -> ["Product Manager, Discovery", "Spotify"]."""
    shown: list[str] = []
    for part in (role, team, company):
        text = " ".join((part or "").split())
        words = words_of(text)
        if not words:
            continue
        if any(_contains(words_of(earlier), words) for earlier in shown):
            continue
        shown.append(text)
    return shown


def _contains(words: list[str], part: list[str]) -> bool:
    return any(words[i : i + len(part)] == part for i in range(len(words) - len(part) + 1))
