"""The referral-ask check, by clause grammar rather than keywords: disclaimers and mere topics are not asks."""

from __future__ import annotations

import re
from collections.abc import Iterable

from crm.outreach import referral_words as w
from crm.outreach.text import Clause, clauses, normalise, shorten

# A clause asks for a referral when it holds an ask predicate ("refer me", "pass my resume along", "a referral")
# inside a request frame that makes the reader the doer ("could you", "please", an imperative) or states my wish
# ("I'd love", "any chance"), and no negation cancels it ("I'm not asking you to refer me"). Only the standard
# library's `re` is used; the words live in `crm.outreach.referral_words`, the grammar that combines them here.

__all__ = ["find_referral_asks"]


def _any(words: Iterable[str]) -> str:
    """One non-capturing alternation of `words`; a space in a word matches any run of whitespace."""
    return "(?:" + "|".join(r"\s+".join(re.escape(part) for part in word.split()) for word in words) + ")"


# --------------------------------------------------------------------------- building blocks
_ME = _any(w.SELF)
_MY_DOC = rf"(?:{_any(w.DOCUMENT_OWNERS)}\s+(?:{_any(w.DOCUMENT_ADJECTIVES)}\s+)?{_any(w.DOCUMENTS)})\b"
_ROLE = rf"{_any(w.ROLES)}\b"
_ROLE_MODS = rf"(?:{_any(w.ROLE_MODIFIERS)}\s+){{0,3}}"
_HIRING_PERSON = (
    rf"(?:{_any(w.HIRING_DETERMINERS)}\s+){{0,2}}"
    r"(?:(?:on|in|from|at|who\s+(?:does|handles|runs))\s+(?:the\s+|your\s+)?)?"
    rf"(?:{_any(w.HIRING_TEAM_WORDS)}\s+){{0,2}}"
    rf"(?:recruit\w*|{_any(w.HIRING_TITLES)}\b)"
)
_RESOURCE = rf"\s+to\s+(?:{_any(w.RESOURCE_DETERMINERS)}\s+){{0,3}}{_any(w.RESOURCES)}\b"
# "Refer me to a colleague who wrote the post" is an introduction, unless it is about hiring.
_PEER = (
    rf"\s+to\s+(?:{_any(w.PEER_DETERMINERS)}\s+)*{_any(w.PEERS)}s?\b"
    rf"(?![^.?!;]{{0,40}}\b{_any(w.HIRING_HINTS)})"
)
_MY_DOC_BEFORE = re.compile(rf"\bmy\s+(?:\w+\s+)?{_any(w.SENT_DOCUMENTS)}\b[^.?!]{{0,150}}$", re.I)
_KIND_WORD = rf"{_any(w.KIND_WORDS)}\s+word\b"

# --------------------------------------------------------------------------- ask predicates
# (kind, pattern). kind: "verb" (the reader does it; needs an addressed frame or an imperative),
# "verb_it" (as "verb", and "it" must be my resume named earlier in the sentence),
# "passive" / "noun" (a wish such as "I'd love a referral" or "I'd love to be referred" is enough).
_PREDICATES: list[tuple[str, re.Pattern[str]]] = [
    (k, re.compile(p, re.I))
    for k, p in [
        ("verb", rf"\brefer(?:ring)?\s+(?:{_ME}\b|{_MY_DOC})(?!{_RESOURCE})(?!{_PEER})"),
        (
            "verb_it",
            rf"\b{_any(w.PASS_ON_VERBS)}\s+(?:it|this|that|them)\s+"
            r"(?:along|on|over|forward|to\s+(?:the\s+|your\s+)?(?:recruit|hiring|team))",
        ),
        ("verb", rf"\brecommend(?:ing)?\s+(?:{_ME}|{_MY_DOC})(?=\s+(?:for|to|as)\b|\s*$)"),
        ("verb", r"\bvouch(?:ing)?\s+for\s+(?:me|myself|my)\b"),
        ("verb", rf"\b{_any(w.GOOD_WORD_VERBS)}\s+(?:in\s+)?a\s+{_KIND_WORD}"),
        ("verb", rf"\b{_any(w.HAND_OVER_VERBS)}\s+(?:{_any(w.HAND_OVER_PARTICLES)}\s+)?{_MY_DOC}"),
        ("verb", r"\b(?:put|putting)\s+(?:me|my\s+name)\s+(?:forward|up)\b|\bnominat(?:e|ing)\s+me\b"),
        ("verb", r"\bconsider(?:ing)?\s+me\s+(?:for|as)\b"),
        (
            "verb",
            r"\b(?:flag|flagging|keep(?:ing)?\s+an\s+eye\s+out\s+for|watch(?:ing)?\s+(?:out\s+)?for"
            r"|let\s+me\s+know\s+(?:about|of|if|when|whether)(?:\s+(?:there\s+are|there's|there\s+is|you\s+see|you\s+hear\s+(?:of|about)"
            r"|any|anything|something))*|point(?:ing)?\s+me\s+(?:to|toward|towards|at))\s+" + _ROLE_MODS + _ROLE,
        ),
        (
            "verb",
            r"\b(?:send|sending|forward|forwarding|share|sharing|pass|passing|look(?:ing)?\s+(?:at|for|out\s+for)"
            r"|find|finding|keep(?:ing)?\s+(?:an\s+eye\s+on|track\s+of))\s+(?:me\s+)?"
            + _ROLE_MODS
            + _ROLE
            + r"[^.?!;]{0,40}?(?:\bfor\s+me\b|\bmy\s+way\b|\bto\s+me\b"
            r"|\bthat\s+(?:fit|fits|suit|suits|match|matches)\s+me\b|\b(?:i|i'd)\s+(?:might|could|would)\s+(?:fit|be\s+a\s+(?:good\s+)?fit))",
        ),
        (
            "verb",
            r"\bkeep(?:ing)?\s+(?:me|my\s+(?:resume|cv|name|application|profile))\s+(?:in\s+mind|on\s+file"
            r"|on\s+(?:your|the)\s+radar|in\s+the\s+loop\s+(?:for|about|on)\s+" + _ROLE_MODS + _ROLE + ")",
        ),
        (
            "verb",
            r"\bget(?:ting)?\s+me\s+(?:(?:an?|the|my)\s+)?(?:interview|referral|intro(?:duction)?\s+to|foot\s+in\s+the\s+door"
            r"|in(?!\s+touch)\b|in\s+front\s+of|hired|considered|seen|noticed|on\s+(?:the|their|your)\s+radar"
            r"|(?:a\s+)?(?:job|role|position|offer|spot|internship)\b|a\s+call\s+with\s+(?:the\s+)?(?:recruit|hiring)"
            r"|into\s+the\s+(?:loop|process|pipeline|interview))",
        ),
        ("verb", r"\bfind(?:ing)?\s+me\s+(?:an?\s+)?(?:\w+\s+)?(?:job|role|position|spot|internship|opening)\b"),
        (
            "verb",
            r"\bhelp(?:ing)?\s+me\s+(?:to\s+)?(?:get|land|secure|find|score|snag)\s+(?:(?:an?|my|the)\s+)?"
            r"(?:(?:pm|apm|product|summer|internship|new\s+grad|full-time)\s+)?(?:referral|interview|foot\s+in\s+the\s+door"
            r"|in(?:\s+the\s+door)?\b|job|role|position|offer|internship|spot|hired|considered|noticed|seen)",
        ),
        (
            "verb",
            rf"\b{_any(w.INTRODUCE_VERBS + w.LOOP_VERBS)}\s+(?:me|my\s+resume|my\s+application)\s+(?:in\s+touch\s+)?"
            rf"(?:with|to|in\s+with)\s+{_HIRING_PERSON}",
        ),
        (
            "verb",
            rf"\b{_any(w.INTRODUCE_VERBS)}\s+me\s+(?:in\s+touch\s+)?"
            r"(?:with|to)\b[^.?!;]{0,60}?\b(?:for|about)\s+(?:the|this|that|an?|your|any|one\s+of\s+the)\s+(?:[\w-]+\s+){0,2}?"
            r"(?:role|position|opening|job|req|internship|program|apm)s?\b",
        ),
        ("passive", rf"\b(?:be|being|get|getting)\s+{_any(w.PASSIVE_ASKS)}\b"),
        (
            "noun",
            rf"\b(?:a|an|your|one|any|some)\s+(?:{_any(w.REFERRAL_ADJECTIVES)}\s+)?"
            rf"referral(?!\s+{_any(w.REFERRAL_TOPICS)})\b",
        ),
        (
            "noun",
            r"\b(?:a|an|your)\s+(?:(?:quick|warm|brief|short)\s+)?intro(?:duction)?\s+to\s+" + _HIRING_PERSON,
        ),
        (
            "noun",
            r"\b(?:a|an)\s+(?:(?:quick|first|phone|short|informal)\s+)?interview\b"
            rf"(?!\s+{_any(w.INTERVIEW_TOPICS)})",
        ),
        ("noun", rf"\ba\s+{_KIND_WORD}"),
        ("noun", r"\b(?:a|an|any)\s+(?:[\w-]+\s+){0,2}?" + _ROLE + r"\s+for\s+me\b"),
    ]
]

# --------------------------------------------------------------------------- request frames
# "addressed" frames make the reader the doer ("could you", "please", "if you");
# "wish" frames state what I want ("I'd love", "I was hoping", "any chance").
_ADDRESSED = re.compile(
    rf"\b{_any(w.MODALS)}\s+(?:you|u|ya)\b"
    r"|\b(?:you|u)(?:'d|'ll|\s+could|\s+would|\s+can|\s+might|\s+may|\s+will|\s+to)\b"
    rf"|\b{_any(w.PLEASE)}\b"
    r"|\bif\s+(?:you|u)\b"
    r"|\bfeel\s+free\s+to\b"
    rf"|\b(?:are|were)\s+you\s+{_any(w.WILLING)}\b"
    r"|\b(?:appreciate|love|like|mind)\s+(?:it\s+)?(?:if\s+)?you\b"
    r"|^\W*(?:mind|care\s+to)\b",  # "Mind referring me?"
    re.I,
)
_WISH = re.compile(
    rf"\b(?:i|we)(?:'d|\s+would|'ll|\s+will)?\s+(?:{_any(w.WISH_INTENSIFIERS)}\s+)*(?:{_any(w.WISH_VERBS)}"
    rf"|be\s+(?:{_any(w.GRATEFUL_INTENSIFIERS)}\s+)*{_any(w.GRATEFUL)})\b"
    r"|\bi(?:'m|\s+am|\s+was|'ve\s+been|\s+have\s+been)?\s+(?:(?:really|just|also|secretly)\s+)*hop(?:e|ing)\b"
    rf"|\b(?:i|i'm|i\s+am|i\s+was|my)\s+(?:{_any(w.ASKING_FILLERS)}\s+)*{_any(w.ASKING)}\b"
    rf"|\b(?:it|that|this)\s+would\s+(?:(?:really|truly|so)\s+)?(?:mean|be)\s+{_any(w.WOULD_MEAN)}\b"
    r"|\b(?:would|'d)\s+(?:(?:really|truly|so|greatly)\s+)?(?:love|like|appreciate)\b"
    r"|\bany\s+(?:chance|way|possibility|hope)\b"
    r"|\bis\s+(?:there\s+any\s+way|it\s+possible)\b|\bwould\s+it\s+be\s+possible\b"
    r"|\b(?:could|can|may|might)\s+i\b",
    re.I,
)
_GAP = re.compile(rf"(?:[\s,]|'(?:re|d|ll|ve|s)\b|\b{_any(w.GAP_WORDS)}\b)*", re.I)
_GOVERNOR = re.compile(rf"\b{_any(w.GOVERNORS)}\s+(?:{_any(w.GOVERNOR_SOFTENERS)}\s+)?$", re.I)
_IMPERATIVE_LEAD = re.compile(rf"(?:[\s,\"'(\[]|\b{_any(w.IMPERATIVE_LEADS)}\b)*", re.I)
_POST_WISH = re.compile(
    r"[^.?!;]{0,40}?\bwould\s+(?:(?:really|truly|so|honestly)\s+)?(?:mean\s+(?:a\s+lot|so\s+much|the\s+world)"
    rf"|be\s+(?:(?:so|really|truly|incredibly|hugely)\s+)?{_any(w.WOULD_BE_PRAISE)})",
    re.I,
)
_ADDRESSED_STRONG = re.compile(
    r"\b(?:could|would|can|will)\s+you\b|\bplease\b|\bif\s+you\b|\bi(?:'d|\s+would)\s+(?:love|like|appreciate)\b", re.I
)

# --------------------------------------------------------------------------- negation
_NEG = re.compile(rf"\b{_any(w.NEGATIONS)}\b|n't\b", re.I)
_NEG_VERB = re.compile(rf"\W*(?:\w+\W+){{0,3}}?{_any(w.NEGATED_ASKS)}\b", re.I)
_DIRECT_NEG = re.compile(r"(?:\b(?:not|never|no)|n't)\s+(?:(?:to|ever|even|necessarily|really|just|be)\s+)?$", re.I)


def _grouped(words: Iterable[str]) -> str:
    """An alternation grouped by first letter, so the regex engine rejects most positions at once."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{first}(?:{'|'.join(sorted(rests, key=len, reverse=True))})" for first, rests in by_first.items())


# Every predicate contains a word starting with a trigger stem; the TUI re-checks on every key, so most
# clauses are skipped after this one cheap search.
_TRIGGER = re.compile(rf"\b(?:{_grouped(w.TRIGGER_STEMS)})", re.I)


def _has_frame(clause: str, pred_start: int, kind: str) -> bool:
    """A request frame whose end reaches the predicate over filler words only."""
    prefix = clause[:pred_start]
    if kind == "verb" and not re.search(r"ing\b", clause[pred_start : pred_start + 12].split(" ")[0] or ""):
        lead = _IMPERATIVE_LEAD.match(prefix)
        if lead and lead.end() == len(prefix):
            return True  # imperative at clause start: "Please refer me", "Refer me for the role"
    frames = [_ADDRESSED] if kind == "verb" else [_ADDRESSED, _WISH]
    window_start = max(0, pred_start - 120)
    for frame in frames:
        for f in frame.finditer(prefix, window_start):
            gap = _GAP.match(prefix, f.end())
            if gap and gap.end() == len(prefix):
                return True
    return False


def _negated(clause: str, pred_start: int) -> bool:
    """'I'm not asking you to refer me', 'No ask for a referral', "I won't ask you to pass my resume along"."""
    prefix = clause[:pred_start]
    if _DIRECT_NEG.search(prefix):
        return True
    for n in _NEG.finditer(prefix):
        v = _NEG_VERB.match(prefix, n.end())
        if v and not re.search(r"[,;:]", prefix[v.end() :]) and not _ADDRESSED_STRONG.search(prefix, v.end()):
            return True
    return False


def _wished_after(clause: str, m: re.Match[str]) -> bool:
    """'A referral for the APM role would be amazing': the ask opens the clause and a wish follows it."""
    lead = _IMPERATIVE_LEAD.match(clause)
    return bool(lead and lead.end() == m.start() and _POST_WISH.match(clause, m.end()))


def _clause_ask(norm: str, clause: Clause) -> int | None:
    """Offset (into the text) where the clause's ask predicate starts, or None."""
    text = norm[clause.start : clause.end]
    if not _TRIGGER.search(text):  # most clauses name nothing that could be asked for: skip them cheaply
        return None
    for kind, pattern in _PREDICATES:
        for m in pattern.finditer(text):
            if kind == "verb_it" and not _MY_DOC_BEFORE.search(norm, 0, clause.start + m.start()):
                continue
            k = "verb" if kind == "verb_it" else kind
            framed = (k != "noun" or _GOVERNOR.search(text[: m.start()])) and _has_frame(text, m.start(), k)
            if not (framed or _wished_after(text, m)):
                continue
            if _negated(text, m.start()):
                continue
            return clause.start + m.start()
    return None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    junk = " \t\r\n,\"'“”‘’"
    while start < end and text[start] in junk:
        start += 1
    while end > start and text[end - 1] in junk:
        end -= 1
    return start, end


def find_referral_asks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, quote) per sentence that asks them to refer me / pass on my resume / get me an interview.

    The span covers the asking clauses of the sentence; the quote is the ask itself, shortened for a message.
    """
    norm = normalise(text)
    hits: dict[int, list[tuple[int, int, int]]] = {}
    for clause in clauses(norm):
        at = _clause_ask(norm, clause)
        if at is not None:
            start, end = _trim(text, clause.start, clause.end)
            hits.setdefault(clause.sentence, []).append((start, end, at))
    return [(found[0][0], found[-1][1], shorten(text[found[0][2] : found[0][1]])) for found in hits.values()]
