"""Splitting a message into words, sentences and clauses: one definition that every check and the word count share."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

DEFAULT_MAX_WORDS = 100  # the spec's length limit, unless a template's front matter sets its own

__all__ = [
    "Clause",
    "clauses",
    "count_words",
    "first_sentence",
    "normalise",
    "sentence_spans",
    "shorten",
    "word_spans",
]

# --------------------------------------------------------------------------- normalising
# One-for-one character replacements, so offsets into the normalised text are offsets into the original.
_NORMALISE = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "‑": "-"})


def normalise(text: str) -> str:
    """Curly quotes and non-breaking hyphens made plain, character for character (offsets stay valid)."""
    return text.translate(_NORMALISE)


def shorten(s: str, limit: int = 60) -> str:
    """`s` on one line, cut to `limit` characters with an ellipsis: for quoting the text in a message."""
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- words
WORD = re.compile(r"[^\W_]+(?:(?:['’.\-]|(?<=\d),(?=\d))[^\W_]+)*")


@lru_cache(maxsize=16)
def word_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of every word: letters/digits with inner ' ’ . - (and 1,000-style commas).

    Cached: several checks need the same spans, and the TUI re-checks the same text as you type.
    """
    return tuple(m.span() for m in WORD.finditer(text))


def count_words(text: str) -> int:
    return len(word_spans(text))


# --------------------------------------------------------------------------- sentences
_ABBREVIATIONS = frozenset(
    (
        "vs", "v", "e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "co", "corp",
        "ltd", "u.s", "u.k", "a.m", "p.m", "approx", "no", "dept", "fig", "cf", "al",
    )
)  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)|\n[ \t]*\n|(?<=,)[ \t]*\n")
_GREETING = re.compile(r"^\W*(?:hi|hello|hey|dear|greetings|good\s+(?:morning|afternoon|evening))\b", re.I)


@lru_cache(maxsize=16)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Sentences as trimmed (start, end) spans; ends at . ! ? (not after vs./e.g./U.S.), blank lines, "Hi Sam,\\n"."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group().startswith("."):
            before = re.search(r"([^\W\d_][\w.]*)$", text[start : m.start()])
            if before and before.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                continue
            if m.end() < len(text) and re.match(r"\s*[a-z0-9]", text[m.end() :]) and m.start() > 0:
                # "3.2s. then" is rare; a lower-case continuation after an abbreviation-like dot is not.
                word = re.search(r"(\w+)$", text[start : m.start()])
                if word and len(word.group(1)) == 1:
                    continue
        if m.group()[:1] in "!?" and '"' in m.group() and re.match(r"\s+[a-z]", text[m.end() :]):
            continue  # she asked "why before how?" in her talk -- one sentence
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if b - trail > a + lead:
            out.append((a + lead, b - trail))
    return tuple(out)


def first_sentence(text: str) -> tuple[int, int] | None:
    """The opening sentence, skipping a short greeting line: "Hi Sam," on its own is not the opening."""
    spans = sentence_spans(text)
    if not spans:
        return None
    first = spans[0]
    if len(spans) > 1 and _GREETING.match(text[first[0] : first[1]]) and count_words(text[first[0] : first[1]]) <= 4:
        return spans[1]
    return first


# --------------------------------------------------------------------------- clauses
# Clause boundaries: sentence ends, ; : ( ), dashes (—, –, --, " - "), newlines, "but", "however", "although".
_CLAUSE_BREAK = re.compile(
    r"[.!?]+(?=[\s\"')\]]|$)|[;()\n]|:(?=\s)|\s*(?:—|–|--+)\s*|\s-\s|\b(?:but|however|although|though|whereas)\b",
    re.I,
)
_SENTENCE_BREAK = re.compile(r"[.!?]+(?=[\s\"')\]]|$)|\n")


class Clause(NamedTuple):
    start: int
    end: int
    sentence: int  # which sentence it belongs to, counting from 0


def clauses(text: str) -> Iterator[Clause]:
    """The clauses of a normalised text: an ask and a disclaimer joined by "but" or a dash are judged apart."""
    pos = 0
    sentence = 0
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > pos:
            yield Clause(pos, m.start(), sentence)
        if _SENTENCE_BREAK.fullmatch(m.group()):
            sentence += 1
        pos = m.end()
    if pos < len(text):
        yield Clause(pos, len(text), sentence)
