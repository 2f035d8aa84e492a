"""Splitting a message into words, sentences and clauses: one definition that every check and the word count share."""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Iterator
from functools import lru_cache

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
# Every pattern here runs in time linear in the text, whatever it holds (issue 11: "....x" took seconds, 300,000
# dots never finished): a run of . ! ? is matched only from its first character and never given back (possessive),
# and the look-backs that find the word before a full stop read a reversed copy instead of rescanning from the
# sentence's start.
_SENTENCE_END = re.compile(r"(?<![.!?])[.!?]++[\"')\]]*+(?=\s|$)|\n[ \t]*+\n|(?<=,)[ \t]*+\n")
_GREETING = re.compile(r"^\W*(?:hi|hello|hey|dear|greetings|good\s+(?:morning|afternoon|evening))\b", re.I)
_WORDISH_RUN = re.compile(r"[\w.]*")  # matched on the reversed text: the run of word characters and dots before a point
_WORD_RUN = re.compile(r"\w*")
_LETTER = re.compile(r"[^\W\d_]")
_LOWER_NEXT = re.compile(r"\s*[a-z0-9]")
_QUOTE_GOES_ON = re.compile(r"\s+[a-z]")


@lru_cache(maxsize=16)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Sentences as trimmed (start, end) spans; ends at . ! ? (not after vs./e.g./U.S.), blank lines, "Hi Sam,\\n"."""
    spans: list[tuple[int, int]] = []
    start = 0
    backwards = ""  # text reversed, made on the first full stop: index i of text is len(text) - 1 - i of it
    n = len(text)
    for m in _SENTENCE_END.finditer(text):
        if m.group().startswith("."):
            if not backwards:
                backwards = text[::-1]
            # The word before the dot (or before a newline just before it): from the first letter of the run of
            # word characters and dots that ends there.
            end = m.start() - 1 if m.start() > start and text[m.start() - 1] == "\n" else m.start()
            run = _WORDISH_RUN.match(backwards, n - end, n - start).end() - (n - end)
            if run:
                letter = _LETTER.search(text, end - run, end)
                if letter and text[letter.start() : end].lower().rstrip(".") in _ABBREVIATIONS:
                    continue
                one_letter = _WORD_RUN.match(backwards, n - end, n - start).end() - (n - end) == 1
                if one_letter and m.start() > 0 and m.end() < n and _LOWER_NEXT.match(text, m.end()):
                    continue  # "3.2s. then" is rare; a lower-case continuation after an abbreviation-like dot is not
        if m.group()[:1] in "!?" and '"' in m.group() and _QUOTE_GOES_ON.match(text, m.end()):
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
# The full stop of a title or "e.g." ends nothing: "could you tell Ms. Kaya, the hiring manager, ..." is one clause.
# Whitespace that holds a newline or comes before a dash is matched whole, from its first character, and read in
# `_space_breaks`: a pattern with a leading \s* rescanned a run of spaces from each of them (quadratic).
_CLAUSE_BREAK = re.compile(
    r"(?P<end>(?<![.!?])(?<!\bmr)(?<!\bms)(?<!\bmx)(?<!\bdr)(?<!\bmrs)(?<!\bprof)(?<!\bvs)(?<!\be\.g)(?<!\bi\.e)"
    r"[.!?]++(?=[\s\"')\]]|$))|[;()]|:(?=\s)|(?:—|–|--+)\s*+"
    r"|(?P<space>(?<!\s)(?=[^\S\n]*+[\n—–-])\s++)|\b(?:but|however|although|though|whereas)\b",
    re.I,
)
_DASH = re.compile(r"(?:—|–|--+)\s*+")
_SPACE = re.compile(r"\s")
_SPACES = re.compile(r"\s*+")


# (start, end, which sentence it belongs to, counting from 0). A namedtuple, not typing.NamedTuple: importing typing
# costs the referral check's cold start ~1.5 ms.
Clause = namedtuple("Clause", "start end sentence")


def _space_breaks(text: str, p: int, e: int) -> Iterator[tuple[int, int, bool]]:
    """(start, end, ends a sentence) of the breaks in whitespace from p to e, as the regex quoted in `clauses` finds
    them: each newline breaks (and ends a sentence) on its own, unless a space before it starts a dash break that
    swallows it ("x \\n— y"); " - " breaks as a dash does."""
    dash = _DASH.match(text, e)
    while p < e:
        if text[p] == "\n":
            yield p, p + 1, True
            p += 1
        elif dash:
            yield p, dash.end(), False
            return
        elif (newline := text.find("\n", p, e)) >= 0:
            p = newline
        elif text.startswith("-", e) and _SPACE.match(text, e + 1):
            yield e - 1, e + 2, False  # " - "
            p, e = e + 2, _SPACES.match(text, e + 2).end()
            dash = _DASH.match(text, e)
        else:
            return


def clauses(text: str) -> Iterator[Clause]:
    """The clauses of a normalised text: an ask and a disclaimer joined by "but" or a dash are judged apart.

    The breaks are what the regex `[.!?]+(?=[\\s"')\\]]|$)|[;()\\n]|:(?=\\s)|\\s*(?:—|–|--+)\\s*|\\s-\\s|\\bbut\\b...`
    finds (but not after "Mr", "Dr", "e.g"), in linear time: a break inside one already taken is passed over.
    """
    pos = 0
    sentence = 0
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() < pos:
            continue
        if m.lastgroup == "space":
            for start, end, ends_sentence in _space_breaks(text, m.start(), m.end()):
                if start > pos:
                    yield Clause(pos, start, sentence)
                sentence += ends_sentence
                pos = end
            continue
        if m.start() > pos:
            yield Clause(pos, m.start(), sentence)
        sentence += m.lastgroup == "end"
        pos = m.end()
    if pos < len(text):
        yield Clause(pos, len(text), sentence)
