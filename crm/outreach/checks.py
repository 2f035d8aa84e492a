"""Message checks and advice as pure functions of the text: the CLI, the app and the tests share one verdict."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from crm.errors import CrmError
from crm.outreach.referral import find_referral_asks
from crm.outreach.text import (
    DEFAULT_MAX_WORDS,
    WORD,
    count_words,
    first_sentence,
    normalise,
    sentence_spans,
    shorten,
    word_spans,
)

__all__ = [
    "MAX_MESSAGE_CHARS",
    "Advice",
    "CheckResult",
    "Problem",
    "Relationship",
    "advise",
    "check_filler",
    "check_length",
    "check_message",
    "check_personal",
    "check_placeholders",
    "check_question",
    "check_referral_ask",
    "grade_advice",
    "referral_verdict",
]

CHECKS = ("length", "referral_ask", "placeholder", "personal", "question", "filler")
# The longest text checked: some twenty times a long email (a 100-word message is about 600 characters). Every check
# runs in time linear in the text, but the app re-checks on every key, and a larger "message" is a wrong file.
MAX_MESSAGE_CHARS = 20_000


@dataclass(frozen=True)
class Problem:
    check: str
    message: str
    start: int
    end: int

    def as_json(self) -> dict:
        return {"check": self.check, "message": self.message, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Advice:
    kind: str
    message: str

    def as_json(self) -> dict:
        return {"kind": self.kind, "message": self.message}


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    words: int
    max_words: int
    problems: list[Problem]
    advice: list[Advice]

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "words": self.words,
            "max_words": self.max_words,
            "problems": [p.as_json() for p in self.problems],
            "advice": [a.as_json() for a in self.advice],
        }


class Relationship(NamedTuple):
    """What has passed between me and one contact, counted from the log: the checks judge a referral ask by it.

    None in place of a Relationship means no contact is known (plain `crm check`): the strictest reading.
    """

    chats: int = 0
    intros: int = 0  # introductions they made for me
    messages: int = 0  # mine
    replies: int = 0
    referrals: int = 0

    @property
    def earned(self) -> bool:
        """Trust enough that a referral ask is reasonable: two chats, or an intro they made (SPEC, issue 9)."""
        return self.chats >= 2 or self.intros >= 1

    @property
    def first_contact(self) -> bool:
        """Nothing exchanged yet: the message is the first they will read from me."""
        return not (self.chats or self.intros or self.messages or self.replies or self.referrals)


# --------------------------------------------------------------------------- length
def check_length(text: str, max_words: int = DEFAULT_MAX_WORDS) -> list[Problem]:
    spans = word_spans(text)
    if len(spans) <= max_words:
        return []
    over = len(spans) - max_words
    start = spans[max_words][0]
    end = len(text.rstrip())
    msg = f"{len(spans)} words; the limit is {max_words}: cut {over}"
    return [Problem("length", msg, start, end)]


# --------------------------------------------------------------------------- placeholders
_PLACEHOLDERS = re.compile(
    r"\[[^\W\d_][^\[\]\n]{0,60}\]"  # [Name], [year], [another alum]
    r"|\{\{.{0,200}?\}\}"  # {{ name }}
    r"|\{%.{0,200}?%\}"  # {% if %}
    r"|<[^\W\d_][\w .'/-]{0,40}>"  # <company>, <first name>
    r"|\b(?:TODO|FIXME|XXX+|TKTK|TK)\b",
    re.S,
)


def check_placeholders(text: str) -> list[Problem]:
    return [
        Problem("placeholder", f'leftover placeholder "{shorten(m.group(), 40)}": fill it in', m.start(), m.end())
        for m in _PLACEHOLDERS.finditer(text)
    ]


# --------------------------------------------------------------------------- personal
_STOPWORDS = frozenset(
    (
        "about", "above", "after", "again", "against", "also", "among", "around", "because", "been", "before",
        "being", "below", "between", "both", "could", "does", "doing", "down", "during", "each", "even", "ever",
        "every", "from", "further", "have", "having", "here", "hers", "herself", "himself", "into", "itself",
        "just", "like", "more", "most", "much", "must", "myself", "only", "other", "ought", "ours", "ourselves",
        "over", "same", "shall", "should", "some", "such", "than", "that", "their", "theirs", "them",
        "themselves", "then", "there", "these", "they", "this", "those", "through", "under", "until", "upon",
        "very", "were", "what", "when", "where", "which", "while", "whom", "with", "within", "without", "would",
        "your", "yours", "yourself", "yourselves", "really", "thing", "things", "post", "posts", "blog",
        "article", "paper", "talk", "talks", "team", "teams", "work", "works", "working", "company",
        "companies", "recent", "recently", "wrote", "written", "write", "said", "says", "spoke", "speaking",
        "presented", "launch", "launched", "shipped", "project", "projects",
    )
)  # fmt: skip


def _stem(word: str) -> str:
    w = word.lower().replace("’", "'").split("'")[0]
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: len(w) - len(suffix)] + repl
    return w


def _significant_stems(term: str) -> set[str]:
    stems = set()
    for m in WORD.finditer(term):
        for part in re.split(r"[.\-]", m.group()):
            if len(part) >= 4 and part.isalpha() and part.lower() not in _STOPWORDS:
                stems.add(_stem(part))
    return stems


def check_personal(text: str, personal_terms: Sequence[str] | None) -> list[Problem]:
    """Passes if the text mentions a significant word of any term (their hook, team, company, post title).

    With no terms (None, or only blanks) there is nothing to cite against, so nothing is reported.
    """
    terms = [t for t in (personal_terms or []) if t and t.strip()]
    if not terms:
        return []
    text_stems = set()
    for word in set(WORD.findall(text)):  # each distinct word once: long texts repeat themselves
        text_stems.add(_stem(word))
        text_stems.update(_stem(p) for p in re.split(r"[.\-]", word) if p)
    for term in terms:
        stems = _significant_stems(term)
        if stems & text_stems:
            return []
        if not stems and re.search(r"(?<!\w)" + re.escape(term.strip()) + r"(?!\w)", text, re.I):
            return []  # short names like "EA" or "HBO"
    first = first_sentence(text) or (0, len(text))
    return [Problem("personal", "doesn't cite anything of theirs: mention their post, talk or team", *first)]


# --------------------------------------------------------------------------- question
def _is_question(sentence: str) -> bool:
    return sentence.rstrip(" \"')]’”").endswith("?")


def check_question(text: str, expected: int = 1) -> list[Problem]:
    """Exactly one question for them to answer; with `expected` 0 (a thank-you that asks nothing more), none."""
    spans = sentence_spans(text)
    questions = [s for s in spans if _is_question(text[s[0] : s[1]])]
    if expected == 0:
        msg = "asks a question, but this message should ask nothing more: cut it"
        return [Problem("question", msg, a, b) for a, b in questions]
    if not questions:
        last = spans[-1] if spans else (0, len(text))
        return [Problem("question", "asks no question: end with one question about their work", *last)]
    if len(questions) == 1:
        return []
    msg = f"asks {len(questions)} questions: keep one"
    return [Problem("question", msg, a, b) for a, b in questions[1:]]


# --------------------------------------------------------------------------- filler
_FILLER = re.compile(
    r"\bpick(?:ing)?\s+your\s+brains?\b"
    r"|\bhope\s+(?:this|my|the)\s+(?:\w+\s+)?finds\s+you\s+well\b"
    r"|\bhope\s+you(?:'re|\s+are)\s+(?:doing\s+)?well\b"
    r"|\bhope\s+you(?:'re|\s+are)\s+having\s+an?\s+(?:great|good|wonderful|nice)\s+(?:day|week|weekend)\b"
    r"|\bhope\s+all\s+is\s+well\b"
    r"|\bI\s+(?:really\s+|just\s+|absolutely\s+)?love\s+music\b"
    r"|\bI(?:'m|\s+am)\s+(?:such\s+)?an?\s+(?:huge|big|massive|great)\s+fan\b"
    r"|\btouch(?:ing)?\s+base\b"
    r"|\bcircle\s+back\b"
    r"|\b(?:just\s+)?want(?:ed)?\s+to\s+reach\s+out\b|\bjust\s+reaching\s+out\b"
    r"|\b(?:quick|brief)\s+(?:call|chat|zoom)\b|\bhop\s+on\s+a\s+call\b"
    r"|\bI\s+know\s+you(?:'re|\s+are|\s+must\s+be)\s+(?:very\s+|super\s+|really\s+|so\s+)?busy\b"
    r"|\bsorry\s+to\s+bother\s+you\b"
    r"|\bat\s+your\s+earliest\s+convenience\b"
    r"|\bI(?:'m|\s+am)\s+(?:so\s+|really\s+|very\s+)?passionate\s+about\b"
    r"|\bany\s+advice\s+would\s+be\s+(?:greatly\s+)?appreciated\b",
    re.I,
)


def check_filler(text: str) -> list[Problem]:
    norm = normalise(text)
    return [
        Problem("filler", f'filler "{text[m.start() : m.end()]}": cut it', m.start(), m.end())
        for m in _FILLER.finditer(norm)
    ]


# --------------------------------------------------------------------------- referral ask
def check_referral_ask(text: str, relationship: Relationship | None = None) -> list[Problem]:
    """One problem per sentence that asks them to refer me / pass on my resume / get me an interview.

    With a relationship that has earned it (see `referral_verdict`) an ask is advice, not a problem.
    """
    problems, _ = referral_verdict(text, relationship)
    return problems


def _times_talked(chats: int) -> str:
    return {1: "once", 2: "twice"}.get(chats, f"{chats} times")


def referral_verdict(text: str, relationship: Relationship | None) -> tuple[list[Problem], list[Advice]]:
    """Referral asks judged by the relationship, as the article tells it: the referral came after two or three
    interactions, and was offered rather than asked for.

    No contact known: every ask fails, as always. No chat yet, or one chat and no intro: it fails, saying why.
    Two chats or more, or an intro they made for me: reported as advice instead.
    """
    asks = find_referral_asks(text)
    if not asks:
        return [], []
    if relationship is not None and relationship.earned:
        if relationship.chats >= 2:
            why = f"you've talked {_times_talked(relationship.chats)}"
        else:
            why = "they've already introduced you to someone"
        quote = asks[0][2]
        return [], [
            Advice(
                "referral_ask",
                f'asks for a referral ("{quote}"): {why}: asking is reasonable now; '
                "the article's students waited to be offered",
            )
        ]
    if relationship is None:
        fix = "ask a question about their work instead"
    elif relationship.chats == 0:
        fix = "you haven't had a chat yet: ask a question about their work instead"
    else:
        fix = (
            "one chat is too soon: wait until you've talked twice, or they've made an intro for you "
            "(the article's students waited to be offered)"
        )
    problems = [Problem("referral_ask", f'asks for a referral ("{quote}"): {fix}', a, b) for a, b, quote in asks]
    return problems, []


# --------------------------------------------------------------------------- advice
# Words that say "we share something" whoever the contact is. Naming a school counts only when it is shared:
# with a contact known, the caller passes what we really share (school, program, who introduced us); without
# one (plain `crm check`), naming a school or an MIT course is taken on trust.
_SHARED = ("alum", "alums", "alumni", "alumna", "alumnus", "also", "fellow", "too", "classmate", "same", "both",
           "like you", "as you did", "former", "mutual", "we met", "you spoke")  # fmt: skip
_SHARED_UNKNOWN_CONTACT = ("mit", "course", "university", "college", "school")
_ME_WORDS = frozenset({"i", "me", "my", "mine", "myself"})
_YOU_WORDS = frozenset({"you", "your", "yours", "yourself", "yourselves"})

# Flesch-Kincaid with a hand-rolled syllable count. textstat was considered: 0.7.13 imports NLTK (~130 ms,
# about four times all of crm.outreach.checks) and fetches the CMU dictionary from the network on first use;
# 0.7.3 imports pkg_resources (~100 ms). The CLI's cold start and the app's per-key re-check matter more
# than the last fraction of a grade, which is what a better syllable count would buy.
GRADE_LIMIT = 8
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_SILENT_ED = re.compile(r"[^aeiouytd]ed$")  # "shipped", "framed": -ed adds no syllable (but "decided" does)
_SILENT_ES = re.compile(r"[^aeiouyszxhcg]es$")  # "makes", "notes" (but "places", "fixes", "changes" keep it)


@lru_cache(maxsize=4096)
def _syllables(word: str) -> int:
    """Vowel groups, less a silent final e, -ed or -es: rough, as Flesch-Kincaid heuristics are."""
    w = word.lower()
    groups = len(_VOWEL_GROUPS.findall(w))
    if groups > 1 and (
        (w.endswith("e") and not w.endswith(("le", "ee", "ye"))) or _SILENT_ED.search(w) or _SILENT_ES.search(w)
    ):
        groups -= 1
    return max(1, groups)


def _grade(text: str) -> float | None:
    words = [text[a:b] for a, b in word_spans(text)]
    if not words:
        return None
    sentences = max(1, len(sentence_spans(text)))
    syllables = sum(_syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def grade_advice(grade: float | None) -> Advice | None:
    """Advice when the reading grade, as shown (rounded half up), is above 8: "grade 8" never reads as too hard."""
    if grade is None:
        return None
    shown = math.floor(grade + 0.5)
    if shown <= GRADE_LIMIT:
        return None
    return Advice("grade", f"reads at grade {shown}; aim for {GRADE_LIMIT} or below: shorter sentences")


def _times(n: int) -> str:
    return f"{n} time" if n == 1 else f"{n} times"


def advise(text: str, shared_terms: Sequence[str] | None = None, *, opener: bool = True) -> list[Advice]:
    """Suggestions that never fail a message: reading grade, me-vs-you balance, a shared connection up front.

    `shared_terms` is what I share with the contact (None: no contact known); `opener` False skips the
    shared-connection advice, for a message in a conversation already under way.
    """
    advice = []
    grade = grade_advice(_grade(text))
    if grade is not None:
        advice.append(grade)
    me = you = 0
    normalized = normalise(text).lower()
    for m in WORD.finditer(normalized):
        base = m.group().split("'")[0]
        me += base in _ME_WORDS
        you += base in _YOU_WORDS
    if me > you:
        advice.append(
            Advice("me_vs_you", f"talks about you {_times(you)} and about me {_times(me)}: turn it toward them")
        )
    first = first_sentence(text) if opener else None
    if first is not None:
        sentence = normalise(text[first[0] : first[1]])
        known = _SHARED_UNKNOWN_CONTACT if shared_terms is None else ()
        terms = [*_SHARED, *known, *(t.strip() for t in (shared_terms or []) if t and t.strip())]
        if not any(re.search(r"(?<!\w)" + re.escape(t) + r"(?!\w)", sentence, re.I) for t in terms):
            advice.append(
                Advice("shared_connection", "the first sentence names nothing you share: open with your school or link")
            )
    return advice


# --------------------------------------------------------------------------- all together
def check_message(
    text: str,
    *,
    max_words: int = DEFAULT_MAX_WORDS,
    personal_terms: Sequence[str] | None = None,
    shared_terms: Sequence[str] | None = None,
    relationship: Relationship | None = None,
    questions: int = 1,
) -> CheckResult:
    """Run every check; `ok` is False when any check reports a problem (advice never fails).

    `relationship` (None: no contact known) decides whether a referral ask fails or is advice, and whether a
    shared opener is still worth advising; `questions` is how many questions the message should ask (1, or 0
    for a thank-you that asks nothing more).
    """
    if text is not None and len(text) > MAX_MESSAGE_CHARS:
        raise CrmError(
            f"the message is {len(text):,} characters long; the limit is {MAX_MESSAGE_CHARS:,}: "
            "is it the right file? (a first message is a few hundred)"
        )
    if text is None or not text.strip():
        raise CrmError("the message is empty: write a few sentences, or pass a file with the draft")
    if max_words < 1:
        raise CrmError(f"max_words must be at least 1, not {max_words}")
    referral_problems, referral_advice = referral_verdict(text, relationship)
    problems = [
        *check_length(text, max_words),
        *referral_problems,
        *check_placeholders(text),
        *check_personal(text, personal_terms),
        *check_question(text, questions),
        *check_filler(text),
    ]
    order = {c: i for i, c in enumerate(CHECKS)}
    problems.sort(key=lambda p: (p.start, p.end, order[p.check]))
    opener = relationship is None or relationship.first_contact
    return CheckResult(
        ok=not problems,
        words=count_words(text),
        max_words=max_words,
        problems=problems,
        advice=[*referral_advice, *advise(text, shared_terms, opener=opener)],
    )
