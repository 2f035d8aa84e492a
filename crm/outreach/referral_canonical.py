"""The canonical form of a text for the referral detector: lower case, chat spellings and key-word typos spelled out.

"u" -> "you", "pls" -> "please", "recomend" -> "recommend", "résumé" -> "resume", with a map back to the original
offsets so that a span found in the canonical text can be highlighted in the original. The rules
(`crm.outreach.referral`) and the sentence model (`crm.outreach.referral_model`) both read texts in this form.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crm.outreach import referral_words as w
from crm.outreach.text import normalise

__all__ = ["canonical"]

_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_SPELLINGS = dict(pair.split(" ", 1) for pair in w.SPELLINGS)
_YOURE_BEFORE = frozenset(w.YOURE_BEFORE)
_ID_BEFORE = frozenset(w.ID_BEFORE)
_KEYWORDS = frozenset(w.TYPO_KEYWORDS)
_NOT_TYPOS = frozenset(w.NOT_TYPOS) | _KEYWORDS


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _typo_index() -> dict[str, str]:
    """Each key word's one-letter deletions -> the key word (None where two key words share one)."""
    index: dict[str, str] = {}
    clash: set[str] = set()
    for kw in _KEYWORDS:
        for d in _deletions(kw):
            if d in index and index[d] != kw:
                clash.add(d)
            index.setdefault(d, kw)
    for d in clash:
        del index[d]
    return index


_TYPOS = _typo_index()
_TYPO_FIRST = frozenset(kw[0] for kw in _KEYWORDS)
_TYPO_LONGEST = max(map(len, _KEYWORDS)) + 1  # a longer word is no typo of a key word (and costs len² to check)


@lru_cache(maxsize=4096)
def _corrected(word: str) -> str | None:
    """The key word `word` is one typo away from ("recomend" -> "recommend"), else None."""
    if not 4 <= len(word) <= _TYPO_LONGEST or word[0] not in _TYPO_FIRST or word in _NOT_TYPOS:
        return None
    found = {_TYPOS[word]} if word in _TYPOS else set()  # a letter missing
    for d in _deletions(word):
        if d in _KEYWORDS:  # a letter too many
            found.add(d)
        elif d in _TYPOS:  # a wrong or swapped letter
            found.add(_TYPOS[d])
    found = {kw for kw in found if kw[0] == word[0] and abs(len(kw) - len(word)) <= 1}
    return found.pop() if len(found) == 1 else None


_FOLD = str.maketrans("éèêëáàâäíìîïóòôöúùûü", "eeeeaaaaiiiioooouuuu")


def _spelled_out(word: str, following: str) -> str | None:
    """The canonical spelling of a lower-case word, given the next word; None when it stays as it is."""
    folded = word.translate(_FOLD)
    if folded != word:  # "résumé", "resumè"
        return _spelled_out(folded, following) or folded
    if word in _SPELLINGS:
        return _SPELLINGS[word]
    if word == "ur":
        return "you're" if following in _YOURE_BEFORE else "your"
    if word == "id":
        return "i'd" if following in _ID_BEFORE else None
    if word == "r":
        return "are" if following in ("you", "u") else None
    if word == "w":
        return "with" if following else None
    if "'" in word:
        head, _, tail = word.partition("'")
        if head in _SPELLINGS and tail in ("d", "ll", "re", "ve", "s", "m"):
            return _SPELLINGS[head] + "'" + tail
        return None
    return _corrected(word)


@lru_cache(maxsize=64)
def canonical(text: str) -> tuple[str, tuple[int, ...] | None]:
    """(canonical text, offset of each of its characters in `text` plus one for the end; None if 1:1)."""
    low = normalise(text).lower()
    if len(low) != len(text):  # a rare letter whose lower case is longer: keep it as it is
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in normalise(text))
    pieces: list[str] = []
    back: list[int] = []
    pos = 0
    tokens = list(_TOKEN.finditer(low))
    for k, m in enumerate(tokens):
        following = tokens[k + 1].group() if k + 1 < len(tokens) else ""
        new = _spelled_out(m.group(), following)
        if new is None or new == m.group():
            continue
        a, b = m.span()
        pieces.append(low[pos:a])
        back.extend(range(pos, a))
        pieces.append(new)
        back.extend(a + min(i * (b - a) // len(new), b - a - 1) for i in range(len(new)))
        pos = b
    if not pieces:
        return low, None
    pieces.append(low[pos:])
    back.extend(range(pos, len(low)))
    back.append(len(low))
    return "".join(pieces), tuple(back)
