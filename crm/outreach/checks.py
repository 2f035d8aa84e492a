"""Message checks: length, referral asks, placeholders, personal, one question, filler -- plus advice.

Every check is a pure function of the text returning a list of `Problem` (character offsets, end
exclusive). `check_message` runs them all. Only the standard library's `re` is used: the referral
detector reads clause structure (a request frame + an ask predicate + an object that is me/my
application, not cancelled by a negation) instead of matching a bag of keywords.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from crm.errors import CrmError

__all__ = [
    "Advice",
    "CheckResult",
    "Problem",
    "advise",
    "check_filler",
    "check_length",
    "check_message",
    "check_personal",
    "check_placeholders",
    "check_question",
    "check_referral_ask",
    "count_words",
    "sentence_spans",
    "word_spans",
]

CHECKS = ("length", "referral_ask", "placeholder", "personal", "question", "filler")


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


# --------------------------------------------------------------------------- normalising
# One-for-one character replacements, so offsets into the normalised text are offsets into the original.
_NORMALISE = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "‑": "-"})


def _norm(text: str) -> str:
    return text.translate(_NORMALISE)


def _short(s: str, limit: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- words
_WORD = re.compile(r"[^\W_]+(?:(?:['’.\-]|(?<=\d),(?=\d))[^\W_]+)*")


@lru_cache(maxsize=16)
def word_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of every word: letters/digits with inner ' ’ . - (and 1,000-style commas).

    Cached: several checks need the same spans, and the TUI re-checks the same text as you type.
    """
    return tuple(m.span() for m in _WORD.finditer(text))


def count_words(text: str) -> int:
    return len(word_spans(text))


# --------------------------------------------------------------------------- sentences
def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_ABBREVIATIONS = _wordset(
    "vs v e.g i.e etc mr mrs ms dr prof st jr sr inc co corp ltd u.s u.k a.m p.m approx no dept fig cf al"
)
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


def _first_sentence(text: str) -> tuple[int, int] | None:
    spans = sentence_spans(text)
    if not spans:
        return None
    first = spans[0]
    # "Hi Sam," on its own is a greeting, not the opening sentence.
    if len(spans) > 1 and _GREETING.match(text[first[0] : first[1]]) and count_words(text[first[0] : first[1]]) <= 4:
        return spans[1]
    return first


# --------------------------------------------------------------------------- length
def check_length(text: str, max_words: int = 100) -> list[Problem]:
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
        Problem("placeholder", f'leftover placeholder "{_short(m.group(), 40)}": fill it in', m.start(), m.end())
        for m in _PLACEHOLDERS.finditer(text)
    ]


# --------------------------------------------------------------------------- personal
_STOPWORDS = _wordset(
    """about above after again against also among around because been before being below between both could
    does doing down during each even ever every from further have having here hers herself himself into itself
    just like more most much must myself only other ought ours ourselves over same shall should some such than
    that their theirs them themselves then there these they this those through under until upon very were what
    when where which while whom with within without would your yours yourself yourselves really thing things
    post posts blog article paper talk talks team teams work works working company companies recent recently
    wrote written write said says spoke speaking presented launch launched shipped project projects"""
)


def _stem(word: str) -> str:
    w = word.lower().replace("’", "'").split("'")[0]
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: len(w) - len(suffix)] + repl
    return w


def _significant_stems(term: str) -> set[str]:
    stems = set()
    for m in _WORD.finditer(term):
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
    for word in set(_WORD.findall(text)):  # each distinct word once: long texts repeat themselves
        text_stems.add(_stem(word))
        text_stems.update(_stem(p) for p in re.split(r"[.\-]", word) if p)
    for term in terms:
        stems = _significant_stems(term)
        if stems & text_stems:
            return []
        if not stems and re.search(r"(?<!\w)" + re.escape(term.strip()) + r"(?!\w)", text, re.I):
            return []  # short names like "EA" or "HBO"
    first = _first_sentence(text) or (0, len(text))
    return [Problem("personal", "doesn't cite anything of theirs: mention their post, talk or team", *first)]


# --------------------------------------------------------------------------- question
def _is_question(sentence: str) -> bool:
    return sentence.rstrip(" \"')]’”").endswith("?")


def check_question(text: str) -> list[Problem]:
    spans = sentence_spans(text)
    questions = [s for s in spans if _is_question(text[s[0] : s[1]])]
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
    norm = _norm(text)
    return [
        Problem("filler", f'filler "{text[m.start() : m.end()]}": cut it', m.start(), m.end())
        for m in _FILLER.finditer(norm)
    ]


# --------------------------------------------------------------------------- referral ask
# Vocabulary. All patterns run with re.I over text whose curly quotes are straightened one-for-one.
_ME = r"(?:me|myself)"
_MY_DOC = (
    r"(?:(?:my|the\s+attached|this)\s+(?:(?:updated|latest|attached|current|full|new)\s+)?"
    r"(?:resume|résumé|cv|application|app|name|profile|candidacy|portfolio|materials|info|information|details))\b"
)
_ROLE = (
    r"(?:roles?|positions?|openings?|jobs?|opportunit(?:y|ies)|vacanc(?:y|ies)|internships?|reqs?|spots?|headcount)\b"
)
_ROLE_MODS = (
    r"(?:(?:any|some|the|a|an|relevant|open|new|good|suitable|upcoming|pm|apm|product|internship|junior|entry-level"
    r"|your|team's|possible|future|similar|other)\s+){0,3}"
)
_HIRING_PERSON = (
    r"(?:(?:the|a|an|your|any|someone|somebody|anyone|one\s+of\s+the|whoever|person|people)\s+){0,2}"
    r"(?:(?:on|in|from|at|who\s+(?:does|handles|runs))\s+(?:the\s+|your\s+)?)?"
    r"(?:(?:team's|team|spotify's|technical|university|campus|pm|product|apm|lead)\s+){0,2}"
    r"(?:recruit\w*|hiring\b|talent\b|hr\b|people\s+team\b)"
)
_RESOURCE = (
    r"\s+to\s+(?:(?:a|an|the|your|any|some|good|great|useful|helpful|other|more)\s+){0,3}"
    r"(?:resources?|books?|articles?|papers?|posts?|blogs?|talks?|courses?|readings?|docs|documentation|links?|sites?"
    r"|websites?|videos?|podcasts?|newsletters?|examples?|tools?|frameworks?|guides?)\b"
)

# "Refer me to a colleague who wrote the post" is an introduction, unless it is about hiring.
_PEER = (
    r"\s+to\s+(?:(?:a|an|the|your|any|some|one\s+of\s+your|other)\s+)*(?:colleague|friend|teammate|co-?worker|someone"
    r"|somebody|anyone|person|people|expert|engineer|designer|researcher|mentor)s?\b"
    r"(?![^.?!;]{0,40}\b(?:recruit|hiring|role|position|opening|job|internship))"
)
_MY_DOC_BEFORE = re.compile(r"\bmy\s+(?:\w+\s+)?(?:resume|résumé|cv|application|portfolio)\b[^.?!]{0,150}$", re.I)

# (kind, pattern). kind: "verb" (the reader does it; needs an addressed frame or an imperative),
# "verb_it" (as "verb", and "it" must be my resume named earlier in the sentence),
# "passive" / "noun" (a wish such as "I'd love a referral" or "I'd love to be referred" is enough).
_PREDICATES: list[tuple[str, re.Pattern[str]]] = [
    (k, re.compile(p, re.I))
    for k, p in [
        ("verb", rf"\brefer(?:ring)?\s+(?:{_ME}\b|{_MY_DOC})(?!{_RESOURCE})(?!{_PEER})"),
        (
            "verb_it",
            r"\b(?:pass|passing|forward|forwarding|send|sending|share|sharing|hand|handing)\s+(?:it|this|that|them)\s+"
            r"(?:along|on|over|forward|to\s+(?:the\s+|your\s+)?(?:recruit|hiring|team))",
        ),
        ("verb", rf"\brecommend(?:ing)?\s+(?:{_ME}|{_MY_DOC})(?=\s+(?:for|to|as)\b|\s*$)"),
        ("verb", r"\bvouch(?:ing)?\s+for\s+(?:me|myself|my)\b"),
        (
            "verb",
            r"\b(?:put|putting|say|saying|drop|dropping|give|giving)\s+(?:in\s+)?a\s+(?:good|kind|positive)\s+word\b",
        ),
        (
            "verb",
            r"\b(?:pass|passing|forward|forwarding|send|sending|share|sharing|submit|submitting|hand|handing|flag|flagging"
            r"|put|putting|get|getting|bring|bringing|walk|walking|circulate|circulating|slip|slipping|email|emailing"
            r"|mention|mentioning|nominate|nominating|push|pushing)\s+(?:(?:along|on|over|forward|through|in|up)\s+)?"
            + _MY_DOC,
        ),
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
            r"\b(?:connect|connecting|introduce|introducing|intro|put|putting|link|linking|loop|looping)\s+(?:me|my\s+resume"
            r"|my\s+application)\s+(?:in\s+touch\s+)?(?:with|to|in\s+with)\s+" + _HIRING_PERSON,
        ),
        (
            "verb",
            r"\b(?:connect|connecting|introduce|introducing|intro|put|putting|link|linking)\s+me\s+(?:in\s+touch\s+)?"
            r"(?:with|to)\b[^.?!;]{0,60}?\b(?:for|about)\s+(?:the|this|that|an?|your|any|one\s+of\s+the)\s+(?:[\w-]+\s+){0,2}?"
            r"(?:role|position|opening|job|req|internship|program|apm)s?\b",
        ),
        (
            "passive",
            r"\b(?:be|being|get|getting)\s+(?:referred|recommended|considered|put\s+forward|flagged|fast-tracked"
            r"|fast\s+tracked|submitted|nominated)\b",
        ),
        (
            "noun",
            r"\b(?:a|an|your|one|any|some)\s+(?:(?:quick|warm|internal|employee|possible|potential|formal|strong|personal)\s+)?"
            r"referral(?!\s+(?:process|program|programme|bonus|bonuses|system|policy|policies|link|links|code|rate|rates"
            r"|pipeline|network|culture|data|stats|numbers|chain|path|route|channel|tracking|form|portal|hire|hires|hiring"
            r"|count|counts|quota|quotas|volume|dashboard|tool|team|model|metric|metrics|funnel|question|questions))\b",
        ),
        (
            "noun",
            r"\b(?:a|an|your)\s+(?:(?:quick|warm|brief|short)\s+)?intro(?:duction)?\s+to\s+" + _HIRING_PERSON,
        ),
        (
            "noun",
            r"\b(?:a|an)\s+(?:(?:quick|first|phone|short|informal)\s+)?interview\b(?!\s+(?:process|loop|question|questions"
            r"|format|prep|tips?|guide|round|rounds|rubric|style))",
        ),
        ("noun", r"\ba\s+(?:good|kind|positive)\s+word\b"),
        ("noun", r"\b(?:a|an|any)\s+(?:[\w-]+\s+){0,2}?" + _ROLE + r"\s+for\s+me\b"),
    ]
]

# Request frames. "addressed" frames make the reader the doer ("could you", "please", "if you");
# "wish" frames state what I want ("I'd love", "I was hoping", "any chance").
_ADDRESSED = re.compile(
    r"\b(?:could|would|can|will|might|may|won't|wouldn't|couldn't|can't)\s+(?:you|u|ya)\b"
    r"|\b(?:you|u)(?:'d|'ll|\s+could|\s+would|\s+can|\s+might|\s+may|\s+will|\s+to)\b"
    r"|\b(?:please|pls|plz|kindly)\b"
    r"|\bif\s+(?:you|u)\b"
    r"|\bfeel\s+free\s+to\b"
    r"|\b(?:are|were)\s+you\s+(?:willing|open|able|comfortable|happy|up\s+for|okay|ok)\b"
    r"|\b(?:appreciate|love|like|mind)\s+(?:it\s+)?(?:if\s+)?you\b"
    r"|^\W*(?:mind|care\s+to)\b",  # "Mind referring me?"
    re.I,
)
_WISH = re.compile(
    r"\b(?:i|we)(?:'d|\s+would|'ll|\s+will)?\s+(?:(?:really|truly|so|very|greatly|super|just|also|certainly|definitely"
    r"|sincerely|deeply|incredibly|hugely|immensely|most)\s+)*(?:love|like|appreciate|welcome|value"
    r"|be\s+(?:(?:so|very|really|super|truly|incredibly|most|forever|extremely|hugely|immensely|deeply)\s+)*"
    r"(?:grateful|thankful|honou?red|indebted|happy|glad|thrilled|delighted|obliged))\b"
    r"|\bi(?:'m|\s+am|\s+was|'ve\s+been|\s+have\s+been)?\s+(?:(?:really|just|also|secretly)\s+)*hop(?:e|ing)\b"
    r"|\b(?:i|i'm|i\s+am|i\s+was|my)\s+(?:(?:just|really|also|humbly|actually|quickly|wanted|want|would|like|to|writing"
    r"|reaching\s+out|here)\s+)*(?:ask|asking|request|requesting|looking|seeking|after)\b"
    r"|\b(?:it|that|this)\s+would\s+(?:(?:really|truly|so)\s+)?(?:mean|be)\s+(?:a\s+lot|so\s+much|the\s+world|great|amazing"
    r"|huge|so\s+helpful|helpful|wonderful|awesome|incredible|fantastic)\b"
    r"|\b(?:would|'d)\s+(?:(?:really|truly|so|greatly)\s+)?(?:love|like|appreciate)\b"
    r"|\bany\s+(?:chance|way|possibility|hope)\b"
    r"|\bis\s+(?:there\s+any\s+way|it\s+possible)\b|\bwould\s+it\s+be\s+possible\b"
    r"|\b(?:could|can|may|might)\s+i\b",
    re.I,
)
# Words that may sit between a frame and its predicate ("could you [possibly be willing to] refer me").
_GAP = re.compile(
    r"(?:[\s,]|'(?:re|d|ll|ve|s)\b|\b(?:please|possibly|kindly|maybe|perhaps|potentially|just|even|ever|still|also"
    r"|actually|really|so|then|at|some|point|soon|sometime|later|be|being|willing|open|able|comfortable|happy|okay|ok"
    r"|up|down|for|to|mind|consider|considering|think|thinking|about|help|helping|me|feel|free|kind|enough|as|get"
    r"|getting|have|having|receive|receiving|love|like|appreciate|welcome|value|it|if|you|could|would|can|might|may"
    r"|will|ask|asking|request|requesting|give|giving|offer|offering|provide|providing|write|writing|with|of"
    r"|grateful|thankful|chance|there|way|is|was|possible|hoping|looking|seeking|secure|securing|land|landing"
    r"|arrange|arranging|once|when|again|quickly|briefly|somehow|personally|directly|need|want|wanted|go|ahead"
    r"|any|am|are|that|much|great|lot|mean|means|a|the|world|honestly|ideally|perhaps|willingly|glad|one|day)\b)*",
    re.I,
)
# What may stand right before a noun predicate: "I'd love [a referral]", "any chance of", "help me with".
_GOVERNOR = re.compile(
    r"\b(?:love|like|appreciate|welcome|value|for|get|getting|have|receive|receiving|request|requesting|give\s+me"
    r"|giving\s+me|offer\s+me|write\s+me|writing\s+me|provide\s+me(?:\s+with)?|providing\s+me(?:\s+with)?|of|with"
    r"|secure|securing|land|landing|arrange|arranging|need|want|be|about)\s+(?:(?:possibly|even|just|maybe|perhaps)\s+)?$",
    re.I,
)
_IMPERATIVE_LEAD = re.compile(
    r"(?:[\s,\"'(\[]|\b(?:please|kindly|pls|plz|also|and|so|just|maybe|perhaps|now|then|oh|ok|okay|hey|hi|hello"
    r"|if\s+possible|if\s+you\s+can|when\s+you\s+(?:get|have)\s+a\s+(?:chance|minute|moment|sec)|ideally|finally"
    r"|lastly|honestly|really|one\s+more\s+thing|and\s+if\s+you\s+can|otherwise|alternatively|or)\b)*",
    re.I,
)
_POST_WISH = re.compile(
    r"[^.?!;]{0,40}?\bwould\s+(?:(?:really|truly|so|honestly)\s+)?(?:mean\s+(?:a\s+lot|so\s+much|the\s+world)"
    r"|be\s+(?:(?:so|really|truly|incredibly|hugely)\s+)?(?:amazing|great|huge|wonderful|awesome|incredible|fantastic"
    r"|appreciated|a\s+(?:huge|big|great)\s+help|so\s+helpful|a\s+dream|ideal))",
    re.I,
)
_NEG = re.compile(r"\b(?:no|not|never|without|nor|neither|cannot)\b|n't\b", re.I)
_NEG_VERB = re.compile(
    r"\W*(?:\w+\W+){0,3}?(?:ask|asks|asking|asked|request|requests|requesting|requested|look|looking|seek|seeking"
    r"|want|wanting|need|needing|expect|expecting|hope|hoping|try|trying|going|gonna|plan|planning|fishing|angling"
    r"|after|here|writing|reaching|intend|intending|mean|meaning|counting|pushing|pressuring|pressure|an\s+ask"
    r"|a\s+request|a\s+favou?r)\b",
    re.I,
)
_DIRECT_NEG = re.compile(r"(?:\b(?:not|never|no)|n't)\s+(?:(?:to|ever|even|necessarily|really|just|be)\s+)?$", re.I)
# Clause boundaries: sentence ends, ; : ( ), dashes (—, –, --, " - "), newlines, "but", "however", "although".
_CLAUSE_BREAK = re.compile(
    r"[.!?]+(?=[\s\"')\]]|$)|[;()\n]|:(?=\s)|\s*(?:—|–|--+)\s*|\s-\s|\b(?:but|however|although|though|whereas)\b",
    re.I,
)
_SENTENCE_BREAK = re.compile(r"[.!?]+(?=[\s\"')\]]|$)|\n")


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int
    sentence: int


def _clauses(norm: str) -> Iterator[_Clause]:
    pos = 0
    sentence = 0
    for m in _CLAUSE_BREAK.finditer(norm):
        if m.start() > pos:
            yield _Clause(pos, m.start(), sentence)
        if _SENTENCE_BREAK.fullmatch(m.group()):
            sentence += 1
        pos = m.end()
    if pos < len(norm):
        yield _Clause(pos, len(norm), sentence)


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


_ADDRESSED_STRONG = re.compile(
    r"\b(?:could|would|can|will)\s+you\b|\bplease\b|\bif\s+you\b|\bi(?:'d|\s+would)\s+(?:love|like|appreciate)\b", re.I
)


def _wished_after(clause: str, m: re.Match[str]) -> bool:
    """'A referral for the APM role would be amazing': the ask opens the clause and a wish follows it."""
    lead = _IMPERATIVE_LEAD.match(clause)
    return bool(lead and lead.end() == m.start() and _POST_WISH.match(clause, m.end()))


def _clause_ask(norm: str, clause: _Clause) -> int | None:
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


# Every predicate above contains one of these words; a test holds the two lists together. Grouped by
# first letter, so the regex engine rejects most positions at once (the TUI re-checks on every key).
_TRIGGER_WORDS = (
    "refer", "recommend", "vouch", "nominat", "consider", "pass", "forward", "send", "shar", "hand", "submit",
    "flag", "keep", "look", "put", "say", "drop", "giv", "connect", "introduc", "intro", "link", "loop", "get",
    "help", "find", "interview", "word", "role", "position", "opening", "job", "recruit", "hiring", "resume",
    "résumé", "cv", "application", "name", "candida",
)  # fmt: skip


def _grouped(words: list[str]) -> str:
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{first}(?:{'|'.join(sorted(rests, key=len, reverse=True))})" for first, rests in by_first.items())


_TRIGGER = re.compile(rf"\b(?:{_grouped(_TRIGGER_WORDS)})", re.I)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    junk = " \t\r\n,\"'“”‘’"
    while start < end and text[start] in junk:
        start += 1
    while end > start and text[end - 1] in junk:
        end -= 1
    return start, end


def check_referral_ask(text: str) -> list[Problem]:
    """One problem per sentence that asks them to refer me / pass on my resume / get me an interview."""
    norm = _norm(text)
    hits: dict[int, list[tuple[int, int, int]]] = {}
    for clause in _clauses(norm):
        at = _clause_ask(norm, clause)
        if at is not None:
            start, end = _trim(text, clause.start, clause.end)
            hits.setdefault(clause.sentence, []).append((start, end, at))
    problems = []
    for found in hits.values():
        start, end = found[0][0], found[-1][1]
        quote = _short(text[found[0][2] : found[0][1]])
        msg = f'asks for a referral ("{quote}"): ask a question about their work instead'
        problems.append(Problem("referral_ask", msg, start, end))
    return problems


# --------------------------------------------------------------------------- advice
_SHARED = ("mit", "alum", "alums", "alumni", "alumna", "alumnus", "also", "fellow", "too", "course", "classmate",
           "same", "both", "like you", "as you did", "former", "mutual", "we met", "you spoke")  # fmt: skip
_ME_WORDS = frozenset({"i", "me", "my", "mine", "myself"})
_YOU_WORDS = frozenset({"you", "your", "yours", "yourself", "yourselves"})


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=4096)
def _syllables(word: str) -> int:
    """Vowel groups, less a silent final e: rough, as Flesch-Kincaid heuristics are."""
    w = word.lower()
    groups = len(_VOWEL_GROUPS.findall(w))
    if groups > 1 and w.endswith("e") and not w.endswith(("le", "ee", "ye")):
        groups -= 1
    return max(1, groups)


def _grade(text: str) -> float | None:
    words = [text[a:b] for a, b in word_spans(text)]
    if not words:
        return None
    sentences = max(1, len(sentence_spans(text)))
    syllables = sum(_syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def _times(n: int) -> str:
    return f"{n} time" if n == 1 else f"{n} times"


def advise(text: str, shared_terms: Sequence[str] | None = None) -> list[Advice]:
    """Suggestions that never fail a message: reading grade, me-vs-you balance, a shared connection up front."""
    advice = []
    grade = _grade(text)
    if grade is not None and grade > 8:
        advice.append(Advice("grade", f"reads at grade {round(grade)}; aim for 8 or below: shorter sentences"))
    me = you = 0
    normalized = _norm(text).lower()
    for m in _WORD.finditer(normalized):
        base = m.group().split("'")[0]
        me += base in _ME_WORDS
        you += base in _YOU_WORDS
    if me > you:
        advice.append(
            Advice("me_vs_you", f"talks about you {_times(you)} and about me {_times(me)}: turn it toward them")
        )
    first = _first_sentence(text)
    if first is not None:
        sentence = _norm(text[first[0] : first[1]])
        terms = [*_SHARED, *(t.strip() for t in (shared_terms or []) if t and t.strip())]
        if not any(re.search(r"(?<!\w)" + re.escape(t) + r"(?!\w)", sentence, re.I) for t in terms):
            advice.append(
                Advice("shared_connection", "the first sentence names nothing you share: open with your school or link")
            )
    return advice


# --------------------------------------------------------------------------- all together
def check_message(
    text: str,
    *,
    max_words: int = 100,
    personal_terms: Sequence[str] | None = None,
    shared_terms: Sequence[str] | None = None,
) -> CheckResult:
    """Run every check; `ok` is False when any check reports a problem (advice never fails)."""
    if text is None or not text.strip():
        raise CrmError("the message is empty: write a few sentences, or pass a file with the draft")
    if max_words < 1:
        raise CrmError(f"max_words must be at least 1, not {max_words}")
    problems = [
        *check_length(text, max_words),
        *check_referral_ask(text),
        *check_placeholders(text),
        *check_personal(text, personal_terms),
        *check_question(text),
        *check_filler(text),
    ]
    order = {c: i for i, c in enumerate(CHECKS)}
    problems.sort(key=lambda p: (p.start, p.end, order[p.check]))
    return CheckResult(
        ok=not problems,
        words=count_words(text),
        max_words=max_words,
        problems=problems,
        advice=advise(text, shared_terms),
    )
