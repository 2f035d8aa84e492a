"""The referral-ask check: precise clause-grammar rules, OR a small trained sentence model for phrasings they miss.

The rules (below) are the high-precision half: disclaimers, topics, thanks and third parties are not asks -- unless
the same sentence takes the disclaimer back ("not asking for a referral yet, but I'd love one later"). They were
written looking at the dev corpus and, on new writers, missed asks phrased in ways nobody wrote rules for. So a
sentence also counts as an ask when `crm.outreach.referral_model` (logistic regression on words, character n-grams
and the sentence's shape, trained by tests/data/referral/train.py, scored in plain Python) rates it one.

Cold start: the rules' 77 regexes are compiled on first need, and a rule is run on a clause only if the clause holds
its anchors -- strings every match contains, derived from the regex itself (crm/outreach/referral_anchors.py,
written by tests/data/referral/anchors.py); the tests check that this never changes a verdict.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator

from crm.outreach import referral_anchors, referral_model
from crm.outreach import referral_words as w
from crm.outreach.referral_canonical import canonical
from crm.outreach.text import Clause, clauses, shorten

# A clause asks for a referral when it holds an ask predicate -- the reader acting in the hiring process for me:
# "refer me", "pass my resume along", "let the recruiter know about me", "a referral" -- inside a request frame
# that makes the reader the doer ("could you", "please", "if you'd be willing", an imperative) or states my wish
# ("I'd love", "any chance", "... would mean a lot"), and no negation, thanks or reported speech cancels it
# ("I'm not asking you to refer me", "thanks for referring me", "you said you'd refer me to that book").
#
# Texts are matched in a canonical form: lower case, chat spellings spelled out ("u" -> "you", "pls" ->
# "please") and one-letter typos of the key words corrected ("recomend", "refferal"), with a map back to the
# original offsets (`crm.outreach.referral_canonical`). Only the standard library's `re` is used; the words live in
# `crm.outreach.referral_words`, the grammar that combines them here.

__all__ = ["find_referral_asks", "model_asks", "rule_asks"]


class _Lazy:
    """A regex compiled on first use: most rules never meet a clause that could match them (see `_guarded`)."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled

    def search(self, text: str, *pos: int) -> re.Match[str] | None:
        return self.compiled().search(text, *pos)

    def match(self, text: str, *pos: int) -> re.Match[str] | None:
        return self.compiled().match(text, *pos)

    def finditer(self, text: str, *pos: int) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(text, *pos)


def _lazy(pattern: str) -> _Lazy:
    return _Lazy(pattern)


def _any(words: Iterable[str]) -> str:
    """One non-capturing alternation of `words`, longest first; a space matches any run of whitespace."""
    words = sorted(set(words), key=lambda word: (-len(word), word))
    return "(?:" + "|".join(word if word.isalpha() else _escaped(word) for word in words) + ")"


def _escaped(word: str) -> str:
    return r"\s+".join(re.escape(part) for part in word.split())


# --------------------------------------------------------------------------- building blocks
_ME = r"(?:me|myself)\b"
_DOC = rf"{_any(w.DOCUMENTS)}\b"
_MY_DOC = rf"(?:{_any(w.DOCUMENT_OWNERS)}\s+(?:[\w'-]+\s+){{0,2}}?{_DOC})"
_SELF = rf"(?:{_ME}|{_MY_DOC})"
_ROLE = rf"{_any(w.ROLES)}\b"
_ROLE_MODS = rf"(?:{_any(w.ROLE_MODIFIERS)}\s+){{0,3}}"
_ROLE_LATER = rf"(?:[\w'&-]+\s+){{0,5}}?{_ROLE}"  # "for the ML Engineer II req"
_HIRING = (
    rf"(?:(?:{_any(w.HIRING_DETERMINERS)}\s+){{0,2}}"
    r"(?:(?:on|in|from|at|of|for)\s+(?:the\s+|your\s+|their\s+)?)?"
    rf"(?:[\w'-]+\s+){{0,2}}?(?:recruit\w*|{_any(w.HIRING_TITLES)})\b(?:'s)?"
    r"(?:\s+(?:team|teams|folks|people|person|side|department|dept|partner|partners|rep|lead|leads|contact|group))?\b"
    rf"|whoever(?:'s|\s+is|\s+was|\s+will\s+be)?\s+(?:\w+\s+){{0,1}}?{_any(w.HIRING_DOERS)}"
    rf"|(?:the\s+)?(?:person|people|someone|anyone|folks)\s+(?:who(?:'s|\s+is|\s+are)?\s+)?{_any(w.HIRING_DOERS)})"
)
_PRONOUN = r"(?:them|him|her)\b"
_HIRING_WORD = rf"\b{_any(w.HIRING_WORDS)}\b"
_HIRING_CONTEXT = _lazy(_HIRING_WORD)
_TARGET_OF_HAND_OVER = _lazy(
    rf"\s*(?:{_any(w.HAND_OVER_PARTICLES)}\s+)?(?:(?:looked\s+at|seen|reviewed|read|considered|noticed)\s+)?(?:to|with|in\s+front\s+of|by|on\s+the\s+desk\s+of|into\s+the\s+hands\s+of"
    rf"|before|past|over\s+to|across\s+to|along\s+to|up\s+to|on\s+to|onto|under\s+the\s+nose\s+of|on)\s+"
    rf"(?:{_HIRING}|{_PRONOUN}|(?:\w+\s+){{0,4}}?(?:desk|radar|inbox|attention)\b)"
    # "drop my name in the pipeline", "submit my name through the referral form"
    rf"|\s*(?:{_any(w.HAND_OVER_PARTICLES)}\s+)?(?:in|into)\s+(?:the|your)\s+(?:hiring\s+|referral\s+)?{_any(w.PIPELINES)}\b"
    rf"|\s*(?:{_any(w.HAND_OVER_PARTICLES)}\s+)?(?:through|via|thru)\s+(?:the|your|a)\s+(?:[\w'-]+\s+){{0,2}}?{_any(w.REFERRAL_CHANNELS)}\b"
)
_TO_ME_OR_YOU = _lazy(r"(?:\s+\w+)?\s+(?:to|with)\s+(?:you|me|myself|yourself)\b(?!')")
_SELF_CONTENT = _lazy(r"\b(?:me|my|i|i'm|i've|i'd|i'll|myself|mine|we've|we'd|we're)\b")
_RESOURCE = rf"\s+to\s+(?:[\w'-]+\s+){{0,4}}?{_any(w.RESOURCES)}\b"
_PEER = (
    rf"\s+to\s+(?:(?!{_HIRING_WORD})[\w'-]+\s+){{0,3}}?{_any(w.PEERS)}\b"
    rf"(?![^.?!;]{{0,50}}{_HIRING_WORD})"
)
# "refer me to a good primer", "to any reads on ...": something indefinite, and no hiring word follows.
_INDEFINITE = rf"\s+to\s+(?:a|an|any|some)\b(?![^.?!;]{{0,60}}{_HIRING_WORD})"
_NOT_DITRANSITIVE = (
    r"(?!\s+(?:a|an|some|any|the|good|great|one|two|three|few|several|those|these|more|other|books?"
    r"|podcasts?|resources?|courses?|reading)\b)"
)
_DOC_BEFORE = _lazy(
    rf"\bmy\s+(?:[\w'-]+\s+)?{_any(w.SENT_DOCUMENTS)}\b|\b{_any(w.SENT_DOCUMENTS)}\s+(?:is\s+|are\s+)?attached\b"
    rf"|\battached\s+(?:is\s+|are\s+)?(?:my|the)\b|\b(?:i've|i\s+have)\s+attached\b"
)
# "a (good) word", "some good words", "good words" (but not "some words": a speech)
_KIND_WORD = (
    rf"(?:in\s+)?(?:an?\s+(?:{_any(w.KIND_WORDS)}\s+)?word"
    rf"|(?:(?:some|any|your|a\s+few)\s+)?{_any(w.KIND_WORDS)}\s+words?)\b"
)
# "my application for the Associate Producer role [could reach ...]": a document and what it is for
_MY_DOC_FOR = rf"{_MY_DOC}(?:\s+(?:for|to|at|with|on|in)\s+(?:[\w'&.-]+\s+){{0,5}}?(?=\S))?"
# My resume, attached for the hiring side: "attaching my resume for your recruiter", "resume attached in case it's
# useful to anyone on the hiring side", "... in case the hiring manager wants a look" -- they are to pass it on. Not
# "for the recruiter call" (a meeting of mine), nor "attached in case it's useful" (to the reader).
_FOR_HIRING = (
    rf"(?:\s*,)?\s+(?:here\s+)?(?:(?:just\s+)?in\s+case\s+(?:(?:it's|it\s+is|it\s+(?:would|might|could|will)\s+be|they're|they\s+are)\s+"
    rf"(?:\w+\s+)?(?:useful|helpful|relevant|of\s+use|handy|of\s+interest)\s+(?:to|for)\s+"
    r"|(?:it|they)\s+(?:helps?|would\s+help|could\s+help|might\s+help)\s+"
    rf"|(?=(?:{_HIRING})[^.?!;]{{0,30}}?\s(?:wants?|would|needs?|asks?|might|could|is\s+(?:interested|curious|looking))\b))"
    rf"|for\s+)(?:{_HIRING})(?!\s+(?:call|calls|screen|screens|screening|interview|interviews|chat|meeting|conversation|portal|site|page)\b)"
)
_MODAL = r"(?:would|could|can|will|might|may|'d|should)"
_POST_WISH_CORE = (
    rf"\b(?:would|could|will|might|'d)\s+(?:(?:really|truly|so|honestly|seriously|definitely|certainly"
    rf"|also|genuinely|absolutely|surely|greatly|hugely|massively)\s+)*"
    rf"(?:(?:mean|be)\s+(?:(?:so|really|truly|incredibly|hugely|very|such|a\s+lot)\s+)?"
    rf"(?:{_any(w.WOULD_MEAN)}|{_any(w.WOULD_BE_PRAISE)})|{_any(w.WOULD_DO)})"
)
_POST_WISH = rf"[^.?!;]{{0,80}}?{_POST_WISH_CORE}"
_POST_WISH_NEAR = rf"[^.?!;]{{0,60}}?{_POST_WISH_CORE}"

# --------------------------------------------------------------------------- ask predicates
# (kind, pattern). kind says what frame the predicate needs:
#   "verb"   the reader does it: an addressed frame ("could you", "please", "if you") or an imperative;
#   "me"     as "verb", and as the object is me, a wish will do too ("hoping for your support in referring me");
#   "hand"   as "verb", for handing over my resume: not to you ("share my CV with you"), and some verbs need the
#            hiring side as target ("get my CV to the recruiter", not "get my CV reviewed");
#   "tell"   as "verb", for telling the hiring side: about me ("let the recruiter know I applied"), not to learn;
#   "intro"  as "verb", for an introduction to the hiring side, not one "to learn about their work";
#   "keep"   as "verb", for keeping me in mind, not "for user testing";
#   "it"     as "verb", and "it" must be a document of mine named earlier in the message ("pass it on");
#   "wish"   a passive or a thing asked for: a wish ("I'd love to be referred") is enough;
#   "noun"   as "wish", and the thing must be governed ("I'd love [a] referral", "any chance of [a] referral");
#   "self"   the pattern holds its own frame ("a referral from you would ...", "could my CV be passed on");
#   "itself" as "self", and "it" must be a document of mine named earlier ("if it could reach the recruiter");
#   "hired"  as "self", and the clause names the hiring side ("if you know the HM, a mention of my name would ...").
# A predicate that opens its clause may instead be followed by the wish ("a referral would be amazing").
_P = [
    # -- the reader refers, recommends, endorses, nominates me or my application
    ("me", rf"\b{_any(w.REFER_VERBS)}\s+{_ME}(?!{_RESOURCE})(?!{_PEER})(?!{_INDEFINITE}){_NOT_DITRANSITIVE}"),
    ("verb", rf"\b{_any(w.REFER_VERBS)}\s+{_MY_DOC}(?!{_RESOURCE})(?!{_PEER})(?!{_INDEFINITE}){_NOT_DITRANSITIVE}"),
    ("self", rf"\bif\s+you\s+(?:\w+\s+)?{_any(w.REFER_VERBS_PAST)}\s+(?:{_SELF})(?!{_RESOURCE})(?!{_PEER})"),
    # -- vouch for me, speak up for me, put in a (good) word
    (
        "me",
        r"\b(?:vouch|vouching|advocate|advocating|speak\s+up|speaking\s+up|speak|speaking|go\s+to\s+bat|going\s+to\s+bat"
        r"|stick\s+your\s+neck\s+out|go\s+out\s+on\s+a\s+limb)\s+(?:\w+\s+){0,5}?for\s+(?:me|myself|my)\b",
    ),
    ("verb", rf"\b{_any(w.GOOD_WORD_VERBS)}\s+{_KIND_WORD}|\b(?:put|putting)\s+(?:in\s+)?a\s+word\b"),
    ("verb", r"\b(?:pull|pulling)\s+(?:some\s+|a\s+few\s+)?strings\b"),
    # -- flag / mention / submit / put forward me
    (
        "me",
        r"\b(?:flag|flagging|pitch|pitching|highlight|highlighting|propose|proposing|suggest|suggesting)\s+me\s+(?:to|for|as|with)\b",
    ),
    (
        "verb",
        r"\bmention(?:ing)?\s+(?:me|my\s+(?:[\w'-]+\s+)?(?:name|application|profile|candidacy|interest|resume|cv|portfolio|app))\b",
    ),
    ("me", r"\bsubmit(?:ting)?\s+(?:me|myself)\b"),
    (
        "verb",
        rf"\b(?:put|putting)\s+(?:me|myself|{_MY_DOC})\s+(?:forward|up|in(?!\s+touch)|through|on\s+(?:[\w']+\s+){{1,3}}?(?:list|shortlist|radar))\b"
        rf"|\b(?:put|putting)\s+(?:forward|up)\s+(?:me|{_MY_DOC})",
    ),
    (
        "me",
        r"\b(?:talk|talking|hype|hyping|big|bigging|play|playing)\s+me\s+up\b|\bplug(?:ging)?\s+(?:me|my\s+(?:name|application|resume|cv|profile))\b",
    ),
    (
        "me",
        rf"\bhook(?:ing)?\s+me\s+up\s+with\s+(?:{_HIRING}|(?:an?|the)\s+(?:\w+\s+)?(?:interview|referral|intro(?:duction)?|job|role))",
    ),
    ("me", r"\bgiv(?:e|ing)\s+me\s+a\s+leg\s+up\b"),
    # -- "would you be willing to refer?": the object is me
    (
        "me",
        rf"\b(?:refer|referring|nominate|nominating|endorse|endorsing)(?=\s*(?:$|[.!?,;:)]|\s+(?:for\s+(?:the|this|that|a|an|my)\s+"
        rf"{_ROLE_LATER}|internally|through|via|thru|if|when|once|at\s+all|please)\b))",
    ),
    (
        "verb",
        r"\blet\s+me\s+know\s+(?:if|when|whenever|should|once)\s+(?:anything|something|a\s+(?:[\w-]+\s+)?(?:role|spot|position|opening|job))"
        r"\s+(?:ever\s+)?(?:opens|comes\s+up|becomes\s+available|pops\s+up|opens\s+up)",
    ),
    # -- "introduce me as a candidate", "present me to the recruiter as a candidate", "set me up with the TA team"
    (
        "verb",
        rf"\b{_any(w.PUT_FORWARD_VERBS)}\s+me\s+(?:(?:to|with)\s+(?:[\w.'-]+\s+){{0,6}}?)?as\s+(?:an?\s+|the\s+|your\s+)?"
        rf"(?:[\w-]+\s+){{0,2}}?(?:candidate|applicant|hire|fit)\b",
    ),
    (
        "verb",
        rf"\b(?:set|setting)\s+me\s+up\s+with\s+(?:[\w'-]+\s+){{0,3}}?(?:{_HIRING}|interview\w*|screen\w*)",
    ),
    # -- "make sure my application is seen by the hiring team"
    (
        "verb",
        rf"\b(?:make|making)\s+sure\s+{_MY_DOC_FOR}(?:[\w'-]+\s+){{0,2}}?(?:is|are|gets?|getting)\s+"
        r"(?:seen|read|reviewed|considered|noticed|looked\s+at|flagged|passed\s+on|forwarded)\b",
    ),
    # -- the reader passes my resume on
    (
        "hand",
        rf"\b(?P<v>{_any(w.HAND_OVER_VERBS)})\s+(?:{_any(w.HAND_OVER_PARTICLES)}\s+)?"
        rf"{_any(w.DOCUMENT_OWNERS)}\s+(?:[\w'-]+\s+){{0,2}}?(?P<d>{_DOC})",
    ),
    ("verb", rf"\b{_any(w.HAND_OVER_VERBS)}\s+(?:{_PRONOUN}|{_HIRING})\s+(?:{_MY_DOC})"),
    (
        "it",
        rf"\b{_any(w.HAND_OVER_VERBS)}\s+(?:it|them|this|that|these|those|the\s+same)\s+"
        rf"(?:{_any(w.HAND_OVER_PARTICLES)}\b|to\s+(?!you\b|me\b|myself\b|our\b|my\b)|for\s+{_ROLE_LATER}|internally|directly)",
    ),
    # "my resume is attached; feel free to send it wherever it fits / share it with anyone on your team" (not "share
    # it with me"): "it" must be my resume, CV or application, named as such ("the deck I attached" is shared freely)
    (
        "mine",
        rf"\b{_any(w.HAND_OVER_VERBS)}\s+(?:it|them)\s+(?:(?:on|along|around)\s+)?"
        r"(?:with\s+(?!you\b|me\b|myself\b|yourself\b|us\b|our\b|my\b)|(?:to\s+|with\s+)?(?:wherever|whoever|whomever)\b|anywhere\b)",
    ),
    (
        "it",
        rf"\b{_any(w.HAND_OVER_IT_VERBS)}\s+(?:it|them)\b"
        r"(?!\s+(?:back|(?:over\s+|back\s+)?(?:to|with)\s+(?:you|me|myself|yourself|us)\b))",
    ),
    (
        "verb",
        rf"\b{_any(w.HAND_OVER_VERBS)}\s+(?:it|this|them)\s+(?:{_any(w.HAND_OVER_PARTICLES)}\s+)?(?:to|with)\s+{_HIRING}",
    ),
    ("self", rf"\bif\s+you\s+(?:\w+\s+)?{_any(w.HAND_OVER_PAST)}\s+(?:{_any(w.HAND_OVER_PARTICLES)}\s+)?{_MY_DOC}"),
    (
        "verb",
        rf"\b(?:point|pointing|direct|directing|send|sending|refer|referring)\s+{_HIRING}\s+(?:to|toward|towards|at)\s+(?:me|{_MY_DOC})",
    ),
    ("wish", r"\b(?:get|getting|got)\s+(?:me|my\s+foot)\s+in\s+(?:the\s+)?door\b"),
    (
        "self",
        rf"\b(?:attach|attached|attaching|enclose|enclosed|enclosing|include|included|including)\s+{_MY_DOC}{_FOR_HIRING}",
    ),
    ("self", rf"\b{_DOC}(?:'s)?\s+(?:is\s+|are\s+)?(?:attached|enclosed|included){_FOR_HIRING}"),
    ("self", rf"\b(?:attached|enclosed)\s+(?:is|are|please\s+find|you'll\s+find)\s+{_MY_DOC}{_FOR_HIRING}"),
    (
        "self",
        rf"\bif\s+{_MY_DOC}\s+(?:somehow\s+|ever\s+)?(?:landed|reached|made\s+(?:its|it's)\s+way|got\s+(?:to|in\s+front\s+of|passed|forwarded|flagged)"
        r"|ended\s+up|(?:was|were)\s+(?:passed|forwarded|flagged|shared|sent|routed))\b",
    ),
    ("noun", rf"^\W*(?:(?:{_any(w.REFERRAL_ADJECTIVES)})\s+)?referral\s+(?:for|to)\b"),
    ("self", rf"^\W*(?:(?:{_any(w.REFERRAL_ADJECTIVES)})\s+)?referral\s*(?:\?|possible\b|please\b|maybe\b)"),
    # articles left out: "could you give me referral", "I am looking for referral"
    (
        "noun",
        rf"(?<=\s)(?:(?:{_any(w.REFERRAL_ADJECTIVES)})\s+)?referral\b(?!\s+{_any(w.REFERRAL_TOPICS)})(?!\s+(?:link|links|code|url|form)\b)",
    ),
    # "for my application to be forwarded to the hiring manager", "for my resume to reach the recruiter"
    (
        "wish",
        rf"\bfor\s+{_MY_DOC}\s+to\s+(?:(?:be|get)\s+{_any(w.DOCUMENT_PASSIVES)}|{_any(w.DOCUMENT_REACHES)})\b",
    ),
    # -- the reader tells the hiring side about me
    ("tell", rf"\blet(?:ting)?\s+(?P<t>{_HIRING}|{_PRONOUN})\s+know\b"),
    ("tell", rf"\blet(?:ting)?\s+know\s+(?P<t>{_HIRING})"),
    (
        "tell",
        rf"\b(?:{_any(w.TELL_VERBS)})\s+(?:(?:mr|ms|mrs|dr|miss|mx)\.?\s+)?[\w'-]+(?:\s+[\w'-]+)?,\s+"
        rf"(?P<t>(?:the|your|our|their)\s+{_HIRING})",
    ),
    (
        "tell",
        r"\b(?:send|sending|drop|dropping|shoot|shooting|write|writing|fire\s+off|firing\s+off)\s+(?:a|an)\s+"
        r"(?:(?:quick|short|brief|little|small|two-line|one-line|friendly|kind|good)\s+)+"
        rf"(?:line|note|message|email|text|dm|word)\s+(?:to|for)\s+(?P<t>{_HIRING}|{_PRONOUN})",
    ),
    ("tell", rf"\b(?:{_any(w.TELL_VERBS)})\s+(?P<t>{_HIRING}|{_PRONOUN})"),
    (
        "tell",
        rf"\b(?:give|giving|send|sending|drop|dropping|shoot)\s+(?P<t>{_HIRING}|{_PRONOUN})\s+(?:a|an)\s+(?:\w+\s+)?{_any(w.HEADS_UP)}",
    ),
    (
        "intro",
        rf"\b{_any(w.INTRODUCE_VERBS + w.LOOP_VERBS)}\s+(?:me|my\s+resume|my\s+application|my\s+cv|my\s+name)\s+"
        rf"(?:in\s+(?:touch|contact)\s+|in(?:to)?\s+(?:the\s+)?(?:process|loop|conversation|pipeline|thread|discussion)\s+)?"
        rf"(?:with|to|in\s+with)\s+{_HIRING}",
    ),
    (
        "intro",
        rf"\b{_any(w.INTRODUCE_VERBS)}\s+me\s+(?:in\s+touch\s+)?"
        r"(?:with|to)\b[^.?!;]{0,60}?\b(?:for|about)\s+(?:the|this|that|an?|your|any|one\s+of\s+the)\s+(?:[\w-]+\s+){0,2}?"
        r"(?:role|position|opening|job|req|internship|program|apm)s?\b",
    ),
    # -- openings for me, keep me in mind, consider me
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
        "keep",
        rf"\bkeep(?:ing)?\s+(?:me|{_MY_DOC})\s+(?:in\s+(?:your\s+)?mind|on\s+file|on\s+(?:your|the)\s+radar|top\s+of\s+mind"
        r"|in\s+the\s+loop\s+(?:for|about|on)\s+" + _ROLE_MODS + _ROLE + ")"
        rf"(?!\s+for\s+(?:\w+\s+){{0,2}}?{_any(w.NOT_JOBS)}\b)",
    ),
    (
        "keep",
        rf"\bthink(?:ing)?\s+of\s+me\s+(?:if|when|whenever|for|should|as)\b(?!\s+(?:\w+\s+){{0,2}}?{_any(w.NOT_JOBS)}\b)",
    ),
    ("keep", rf"\bconsider(?:ing)?\s+(?:me|{_MY_DOC})\s+(?:for|as)\b|\bconsider\s+me(?=\s*(?:$|[.,!?]|and\b))"),
    # -- get me an interview, help me land one
    (
        "verb",
        r"\b(?:get|getting|land|landing)\s+me\s+(?:(?:an?|the|my)\s+)?(?:interview|referral|intro(?:duction)?\s+to|foot\s+in\s+the\s+door"
        r"|in(?!\s+touch)\b|in\s+front\s+of|hired|considered|seen|noticed|on\s+(?:[\w']+\s+){1,3}?radar"
        r"|(?:a\s+)?(?:job|role|position|offer|spot|internship)\b|a\s+call\s+with\s+(?:the\s+)?(?:recruit|hiring)"
        r"|into\s+the\s+(?:loop|process|pipeline|interview)|(?:an?\s+)?(?:\w+\s+)?interview)",
    ),
    ("verb", r"\bfind(?:ing)?\s+me\s+(?:an?\s+)?(?:\w+\s+)?(?:job|role|position|spot|internship|opening)\b"),
    (
        "verb",
        r"\bhelp(?:ing)?\s+me\s+(?:to\s+)?(?:get|land|secure|find|score|snag)\s+(?:(?:an?|my|the)\s+)?"
        r"(?:(?:[\w-]+\s+){0,2})?(?:referral|interview|foot\s+in\s+the\s+door"
        r"|in(?:\s+the\s+door)?\b|job|role|position|offer|internship|spot|hired|considered|noticed|seen|shortlisted"
        r"|on\s+(?:[\w']+\s+){1,3}?(?:list|shortlist|radar)|(?:through|past)\s+the\s+(?:screen|filter|ats))",
    ),
    # -- to be referred; my CV to be passed on
    (
        "wish",
        rf"\b(?:have|having|get|getting)\s+{_MY_DOC}\s+(?:\w+\s+)?(?:reviewed|seen|looked\s+at|considered|read|flagged|passed|forwarded|sent"
        rf"|shared|put|brought|in\s+front\s+of|to)\b[^.?!;]{{0,30}}?\b(?:by|to|in\s+front\s+of|with|before)\s+{_HIRING}",
    ),
    (
        "itself",
        rf"\b(?:it|they|them)\s+(?:could|can|would|might|may)\s+(?:somehow\s+|possibly\s+)?(?:reach|get\s+to|get\s+in\s+front\s+of"
        rf"|make\s+(?:its|their)\s+way\s+to|be\s+(?:passed|forwarded|sent|shared|flagged|routed)\s+(?:on\s+|along\s+)?to)\s+{_HIRING}",
    ),
    ("wish", rf"\b(?:be|being|get|getting)\s+(?:\w+\s+)?{_any(w.PASSIVE_ASKS)}\b"),
    (
        "self",
        rf"\b(?:could|can|would|might|may)\s+(?:{_MY_DOC}|i|i\s+be)\s+(?:(?:somehow|possibly|maybe|perhaps|also|still|please)\s+)?"
        rf"(?:be\s+|get\s+)?{_any(w.DOCUMENT_PASSIVES)}\b",
    ),
    (
        "self",
        rf"\b{_MY_DOC_FOR}\s*(?:could|can|would|might|may)\s+(?:(?:somehow|possibly|maybe|perhaps|also|still|please|ever)\s+)*"
        rf"(?:(?:be|get)\s+{_any(w.DOCUMENT_PASSIVES)}|{_any(w.DOCUMENT_REACHES)})\b",
    ),
    # "I request that my CV be forwarded to the panel", "grateful if my application will be forwarded by you"
    (
        "wish",
        rf"\b(?:that|if)\s+{_MY_DOC_FOR}\s*(?:be|will\s+be|is|are|gets?|could\s+be|would\s+be|can\s+be)\s+(?:\w+\s+)?"
        rf"{_any(w.SUBJUNCTIVE_PASSIVES)}\b",
    ),
    # "so that my CV arrive to the hands of the person who is hiring"
    (
        "wish",
        rf"\b(?:so\s+that|so|that|for)\s+{_MY_DOC_FOR}\s*(?:can\s+|could\s+|will\s+|would\s+|may\s+|might\s+|to\s+)?"
        rf"{_any(w.DOCUMENT_ARRIVES)}\b[^.?!;]{{0,40}}?(?:{_HIRING})",
    ),
    ("wish", rf"\b(?:be|being)\s+kept\s+in\s+(?:your\s+)?mind\b(?!\s+for\s+(?:\w+\s+){{0,2}}?{_any(w.NOT_JOBS)}\b)"),
    # -- a referral, an internal recommendation, a referral link
    (
        "noun",
        rf"\b(?:a|an|your|one|any|some|the)\s+(?:(?:{_any(w.REFERRAL_ADJECTIVES)})\s+){{0,2}}"
        rf"referral(?!\s+{_any(w.REFERRAL_TOPICS)})(?!\s+(?:link|links|code|url|form)\b)\b",
    ),
    (
        "noun",
        rf"\b(?:a|an|your|one|any|some|the)\s+(?:(?:{_any(w.REFERRAL_ADJECTIVES)})\s+){{0,2}}"
        rf"(?:recommendation|endorsement|nomination|reference)\b"
        rf"(?=[^.?!;]{{0,50}}?\b(?:for\s+{_ROLE_LATER}|(?:to|with|for)\s+{_HIRING}|from\s+you|internally))"
        rf"|\b(?:an?|any)\s+(?:internal|employee)\s+(?:recommendation|endorsement|nomination)\b",
    ),
    (
        "self",
        rf"\b(?:a|an|one|your|any|the)\s+(?:[\w-]+\s+){{0,2}}?(?:referral|recommendation|endorsement|nomination|word|vouch"
        rf"|reference|heads-up|nudge|mention|shout-out|shoutout|intro|introduction|nod|plug)\s+(?:from\s+you|(?:to|with)\s+{_HIRING}|on\s+my\s+behalf)"
        rf"(?={_POST_WISH}|[^.?!]*\bwould\b)"
        rf"|\b(?:a|an|one|your)\s+(?:[\w-]+\s+){{0,2}}?(?:note|call|email|message|ping|push|text|line)\s+(?:from\s+you\s+)?(?:to|with)\s+{_HIRING}"
        rf"(?={_POST_WISH}|[^.?!]*\bwould\b)",
    ),
    (
        "self",
        rf"\byour\s+(?:[\w-]+\s+)?(?:endorsement|referral|nomination|backing)\b(?!\s+{_any(w.REFERRAL_TOPICS)})"
        rf"(?={_POST_WISH_NEAR})",
    ),
    (
        "hired",
        rf"\b(?:a|an|one|any|your)\s+(?:[\w-]+\s+){{0,2}}?(?:mention|word|nod|plug|heads-up|shout-out|shoutout)\s+of\s+"
        rf"(?:me|my\s+(?:name|application|profile|candidacy|resume|cv))\b(?={_POST_WISH})",
    ),
    # "just checking in on the referral we talked about": a nudge for a referral agreed on, not yet made
    (
        "self",
        r"\b(?:checking\s+in|check\s+in|following\s+up|follow\s+up|circling\s+back|bumping\s+(?:this|my\s+note)|touching\s+base)"
        rf"\s+(?:on|about|re|regarding)\s+(?:the|my|that|our)\s+(?:[\w'-]+\s+){{0,3}}?referral\b(?!\s+{_any(w.REFERRAL_TOPICS)})"
        r"(?![^.?!;]{0,60}\b(?:you\s+(?:made|sent|submitted|did|gave|wrote)|went\s+through|came\s+through|worked|i\s+got|thank))",
    ),
    (
        "verb",
        rf"\b{_any(w.LINK_VERBS)}\s+(?:me\s+|us\s+)?(?:(?:your|the|a|an|that|any|this)\s+)?(?:(?:internal|employee|personal|company)\s+)?"
        rf"referral\s+{_any(w.REFERRAL_LINKS)}\b",
    ),
    ("noun", r"\b(?:your|the|a|an)\s+(?:(?:internal|employee|personal)\s+)?referral\s+(?:link|code|url)\b"),
    ("noun", rf"\b(?:a|an|any|the)\s+{_any(w.INTERNAL_ROUTES)}\b"),
    (
        "self",
        r"^\W*(?:(?:subject|re)\W+)?(?:a\s+)?(?:referral\s+(?:request|ask|inquiry|enquiry)|request\s+for\s+(?:a|an)?\s*(?:\w+\s+)?referral)\b",
    ),
    ("self", r"\bmy\s+referral\s+request\b"),
    ("noun", r"\b(?:a|an|your)\s+(?:(?:quick|warm|brief|short)\s+)?intro(?:duction)?\s+to\s+" + _HIRING),
    (
        "noun",
        r"\b(?:a|an)\s+(?:(?:quick|first|phone|short|informal|first-round|screening)\s+)?interview\b"
        rf"(?!\s+{_any(w.INTERVIEW_TOPICS)})",
    ),
    ("noun", rf"\ban?\s+(?:{_any(w.KIND_WORDS)}\s+)word\b"),
    ("noun", r"\b(?:a|an|any)\s+(?:[\w-]+\s+){0,2}?" + _ROLE + r"\s+for\s+me\b"),
    # -- through you: "go through your referral", "could I list you as my referrer"
    (
        "wish",
        r"\b(?:go|going|apply|applying|come|coming|get|getting)\s+(?:in\s+)?(?:through|via)\s+(?:you\b|your\s+(?:\w+\s+)?referral)",
    ),
    (
        "wish",
        rf"\b(?:{_any(w.LIST_VERBS)}|listed|named|used|included|added)\s+you\s+(?:down\s+)?as\s+(?:my|a|an|the)\s+(?:[\w-]+\s+)?"
        rf"{_any(w.REFERRER_NOUNS)}\b",
    ),
    (
        "verb",
        r"\b(?:be|being|act\s+as|serve\s+as)\s+(?:a|my)\s+(?:[\w-]+\s+)?(?:reference|referee|referrer|referral|advocate|champion)\b(?!\s+(?:for|on)\s+(?:a|the|my)\s+(?:paper|thesis|project|grant))",
    ),
]


def _anchors(pattern: str) -> tuple[tuple[str, ...], ...]:
    """The strings a clause must contain for `pattern` to match (derived from the regex, see referral_anchors)."""
    return _ANCHORS.get(f"{zlib.crc32(pattern.encode()):08x}", ())


_ANCHORS = {
    rule: tuple(tuple(group.split("|")) for group in groups) for rule, groups in referral_anchors.ANCHORS.items()
}
_PREDICATES: list[tuple[str, _Lazy, tuple[tuple[str, ...], ...]]] = [(kind, _lazy(p), _anchors(p)) for kind, p in _P]
_ANCHOR_STRINGS = tuple(sorted({s for _, _, sets in _PREDICATES for group in sets for s in group}))
_GUARDED = True  # False runs every rule on every clause: the tests compare both
_NEEDS_TARGET = frozenset(w.HAND_OVER_NEED_TARGET)
_WEAK_DOCUMENTS = frozenset(w.WEAK_DOCUMENTS)
_MY_DOC_RE = _lazy(rf"\bmy\s+(?:[\w'-]+\s+)?{_any(w.SENT_DOCUMENTS)}\b")
_MINE_BEFORE = _lazy(
    rf"\bmy\s+(?:[\w'-]+\s+)?{_any(w.SENT_DOCUMENTS)}\b|\b{_any(w.SENT_DOCUMENTS)}(?:'s)?\s+(?:is\s+|are\s+)?attached\b"
)
_LEARNING = _lazy(rf"\b{_any(w.LEARNING_PURPOSES)}")
_NOT_JOB = _lazy(rf"\b{_any(w.NOT_JOBS)}\b")
_ROLE_WORD = _lazy(rf"\b{_ROLE}|\b(?:hiring|recruit\w*)\b")

# --------------------------------------------------------------------------- request frames
# "addressed" frames make the reader the doer ("could you", "please", "if you");
# "wish" frames state what I want ("I'd love", "I was hoping", "any chance").
_ADDRESSED = _lazy(
    rf"\b{_any(w.MODALS)}\s+you\b"
    r"|\byou(?:'d|'ll|\s+could|\s+would|\s+can|\s+might|\s+may|\s+will|\s+to|'re\s+able\s+to)\b"
    rf"|\b{_any(w.PLEASE)}\b"
    r"|\bif\s+(?:you|your)\b"
    r"|\bfeel\s+free\s+to\b"
    rf"|\b(?:are|were)\s+you\s+{_any(w.WILLING)}\b"
    r"|\b(?:appreciate|love|like|mind)\s+(?:it\s+)?(?:if\s+)?you\b"
    r"|(?:^|[,.!?])\s*(?:mind|care\s+to)\b"
    r"|\b(?:is|was)\s+it\s+possible\b|\bwould\s+it\s+be\s+possible\b|\bis\s+there\s+(?:any|a)\s+(?:way|chance)\b"
    r"|\bany\s+(?:chance|way|possibility)\b"
    r"|\bdo\s+the\s+needful\b|\b(?:that|whether)\s+you\b|\bfingers\s+crossed\b|\bhave\s+you\b|\bdo\s+you\s+mind\b"
    r"|\b(?:did|have)\s+you\s+(?:had|get|got|have|find|found)\s+(?:a\s+|the\s+)?(?:chance|moment|time|minute|sec|second)\s+to\b"
    r"|\b(?:did|have)\s+you\s+(?:managed|manage|been\s+able)\s+to\b"
    # "I ask you the favor of", "I beg you", "may I request your help to", "whenever you have a moment to"
    r"|\b(?:ask|asking|beg|begging|request|requesting|implore|entreat)\s+(?:of\s+)?you\b"
    r"|\b(?:request|requesting|ask\s+for|asking\s+for|seek|seeking|need|count\s+on)\s+your\s+(?:kind\s+|generous\s+|valuable\s+)?"
    r"(?:help|support|assistance|favou?r)\b"
    r"|\b(?:when|whenever|once)\s+you\s+(?:have|get|find)\b"
    r"|\bis\s+there\s+(?:any|a|an)\s+(?:\w+\s+)?(?:way|chance|route|path|possibility)\b"
    # a title in place of "you": "I hope Madam can put a good word"
    r"|\b(?:sir|madam|ma'am)\s+(?:could|would|can|will|might|may)\b"
)
_WISH = _lazy(
    rf"\b(?:i|we)(?:'d|\s+would|'ll|\s+will)?\s+(?:{_any(w.WISH_INTENSIFIERS)}\s+)*(?:{_any(w.WISH_VERBS)}"
    rf"|be\s+(?:{_any(w.GRATEFUL_INTENSIFIERS)}\s+)*{_any(w.GRATEFUL)})\b"
    rf"|\b(?:would|'d)\s+be\s+(?:{_any(w.GRATEFUL_INTENSIFIERS)}\s+)*{_any(w.GRATEFUL)}\b"
    r"|\bi(?:'m|\s+am|\s+was|'ve\s+been|\s+have\s+been)?\s+(?:(?:really|just|also|secretly|still)\s+)*hop(?:e|ing)\b"
    r"|\bhoping\b|\bwonder(?:ing|ed)?\s+(?:if|whether)\b"
    rf"|\b(?:i|i'm|i\s+am|i\s+was|my)\s+(?:{_any(w.ASKING_FILLERS)}\s+)*{_any(w.ASKING)}\b"
    rf"|\b(?:it|that|this)\s+(?:would|'d)\s+(?:(?:really|truly|so)\s+)?(?:mean|be)\s+{_any(w.WOULD_MEAN)}\b"
    r"|\b(?:would|'d)\s+(?:(?:really|truly|so|greatly)\s+)?(?:love|like|appreciate)\b"
    r"|\bany\s+(?:chance|way|possibility|hope)\b"
    r"|\bis\s+(?:there\s+any\s+way|it\s+possible)\b|\bwould\s+it\s+be\s+(?:possible|ok|okay|alright)\b"
    r"|\b(?:could|can|may|might)\s+i\b|\b(?:ok|okay|alright|fine|mind)\s+if\s+i\b|\bfingers\s+crossed\b"
    r"|\bif\s+i\s+(?:can|could|may|might)\b|\bany\s+help\b"
    # a wish without its "I": "Need a referral for the APM role", "Grateful for a word with the recruiter"
    r"|^\W*(?:(?:so|also|and|just|really|honestly|hi|hey|anyway|ok|okay)\W+)*(?:need|needing|seeking|requesting|hoping\s+for"
    r"|looking\s+for|in\s+need\s+of|would\s+(?:love|like|appreciate)|(?:so\s+|very\s+|really\s+|forever\s+|super\s+)?(?:grateful|thankful)"
    r"\s+for)\b"
    r"|\bwould\s+it\s+be\s+(?:too\s+much|presumptuous|cheeky|a\s+stretch|okay|ok|alright|possible)\s+(?:for\s+me\s+)?to\s+ask\b",
)
_GAP = _lazy(rf"(?:,[^,.;?!]{{1,70}}?,|[\s,]|'(?:re|d|ll|ve|s|m)\b|\b{_any(w.GAP_WORDS)}\b)*+")
# Between a frame and its ask, these mean someone else does it ("would you like me to send my resume").
_DOER_CHANGE = _lazy(
    r"\b(?:i|we|he|she|they|i'll|i'd|i'm|i've|we'll)\b|(?<!help\s)(?<!helping\s)\b(?:me|him|her|them|us)\s+to\b"
    r"|\b(?:should|whether|how|worth|what|why|when\s+to|thanks?|said|mentioned|offered|or\s+not|better|best)\b|\?"
)
_DOER_CHANGE_WISH = _lazy(
    r"\b(?:he|she|they|him|her|them|us|someone|anyone|somebody|my\s+\w+)\b"
    r"|\b(?:should|whether\s+to|how|worth|what|why|when\s+to|said|mentioned|offered|or\s+not|not|never|n't)\b|[;:?]"
)
_LENIENT_WORDS = 14
_GOVERNOR = _lazy(rf"\b{_any(w.GOVERNORS)}\s+(?:{_any(w.GOVERNOR_SOFTENERS)}\s+)*$")
_IMPERATIVE_LEAD = _lazy(rf"(?:[\s,\"'(\[!]|\b{_any(w.IMPERATIVE_LEADS)}\b)*")
_ADDRESSED_STRONG = _lazy(
    r"\b(?:could|would|can|will)\s+you\b|\bplease\b|\bkindly\b|\bif\s+you\b|\bi(?:'d|\s+would)\s+(?:love|like|appreciate)\b"
)
_THIRD_PARTY_BEFORE = _lazy(
    r"\b(?:he|she|they|it|(?:my|his|her|their|our)\s+(?!hope\b|ask\b|request\b|wish\b|dream\b|goal\b)[\w'-]+)\s*$"
)
# An ask they offered, then taken up: "you mentioned you might be able to refer me [...] Is that still possible?"
_OFFERED = _lazy(
    r"\byou\s+(?:also\s+|once\s+|kindly\s+|even\s+|had\s+)?(?:said|mentioned|offered|told\s+me|promised|suggested)\b"
)
_TAKEN_UP = _lazy(
    r"\b(?:is|would)\s+that\s+(?:offer\s+)?(?:still\s+)?(?:possible|an\s+option|on\s+the\s+table|doable|ok|okay|alright"
    r"|something\s+you)"
    r"|\b(?:is|does)\s+(?:the|that|your)\s+offer\s+still\s+(?:stand|open|on|available)"
    r"|\btake\s+you\s+up\s+on\b"
    r"|\b(?:i'd|i\s+would)\s+(?:very\s+much\s+|really\s+|so\s+|absolutely\s+|truly\s+)?(?:like|love|appreciate|welcome)"
    r"\s+(?:that|it|this)\b(?!\s+if\b)"
    r"|\bif\s+(?:that's|that\s+is|it's|it\s+is|the\s+offer(?:'s|\s+is)|that\s+offer(?:'s|\s+is))\s+still\s+(?:possible|open|on"
    r"|available|standing|an\s+option|on\s+the\s+table|the\s+case|ok|okay)"
    r"|\bstill\s+(?:possible|on\s+the\s+table|an\s+option)\b"
)
_ADVICE_BEFORE = _lazy(r"\b(?:should|shall|do|did|when|how|whether)\s+$")
_REPORTED = _lazy(rf"\b{_any(w.REPORTED)}\s+(?:that\s+)?$")

# --------------------------------------------------------------------------- negation, thanks
_NEG = _lazy(rf"\b{_any(w.NEGATIONS)}\b|n't\b")
_NEG_VERB = _lazy(rf"\W*(?:\w+\W+){{0,3}}?{_any(w.NEGATED_ASKS)}\b")
_DIRECT_NEG = _lazy(
    r"(?:\b(?:not|never|no)|n't)\s+(?:(?:to|ever|even|necessarily|really|just|be|have\s+to|need\s+to)\s+)?$"
)
_COPULA_AFTER = _lazy(
    r"(?:\s+[\w'-]+){0,2}?\s+(?:is|was|are|were|isn't|wasn't|aren't|feels|felt|seems|seemed|can\s+be|has\s+been|matters"
    r"|mattered|works|worked|actually)\b"
)
# After the ask: "is referring me something you'd consider?"
_ASKED_AFTER = _lazy(
    r"[^.?!;]{0,60}?\b(?:something|anything)\s+you(?:'d|\s+would|\s+could|\s+might|'re|\s+are|\s+can)\b"
    r"|[^.?!;]{0,40}?\b(?:would|could)\s+you\s+(?:be\s+)?(?:consider|open|willing|comfortable|up\s+for|able|happy|okay|ok)\b"
)
# An ask in quotes naming a kind of message: "one of those 'please refer me' messages", "the 'can you refer me?' DM".
_OPEN_QUOTE = _lazy(r"(?:^|(?<=\W))['\"][^'\"]*$")
_QUOTED_KIND = _lazy(
    r"[^'\"\n]{0,40}?['\"]\s*(?:-\s*)?(?:messages?|emails?|notes?|requests?|asks?|dms?|texts?|letters?|inmails?|types?"
    r"|kinds?|things?|vibes?|energy|style|approach|routine|line|lines|pitch|pitches|cold\s+\w+)\b"
)
_HYPOTHETICAL = _lazy(rf"\b{_any(w.HYPOTHETICALS)}\b")
_NEAR_NEG = _lazy(r"(?:\b(?:not|never|no)|n't)\s+(?!mind\b)(?:[\w'-]+\s+){0,4}$")
_THANKS = _lazy(
    r"\bthank(?:s|\s+you|ing\s+you)?\b[^.?!;]{0,60}?\bfor\b|\bgrateful\s+(?:that\s+)?you\b"
    # "I appreciate you forwarding my resume" (not "I'd appreciate"): thanks for what was done
    r"|(?<!')(?<!would\s)(?<!will\s)\b(?:i|we)\s+(?:really\s+|truly\s+|so\s+|greatly\s+)?appreciate\s+(?:you|your|it\s+that)\b"
)


def _reaches(prefix: str, f_end: int, addressed: bool) -> bool:
    """Whether a frame ending at `f_end` reaches the end of `prefix` (where the ask starts).

    Over filler words ("could you [possibly be willing to] refer me"), or for an addressed frame over a few
    words in which nobody else becomes the doer ("would you [like me to] send my resume" is not an ask).
    """
    between = prefix[f_end:]
    if addressed and _DOER_CHANGE.search(between):
        return False
    gap = _GAP.match(prefix, f_end)
    if gap and gap.end() == len(prefix):
        return True
    return addressed and len(between.split()) <= _LENIENT_WORDS and not re.search(r"[;:]", between)


def _has_frame(clause: str, pred_start: int, kind: str) -> bool:
    """A request frame whose end reaches the predicate."""
    prefix = clause[:pred_start]
    if kind in ("verb", "me") and not re.match(r"\w+ing\b", clause[pred_start:]):
        lead = _IMPERATIVE_LEAD.match(prefix)
        if lead and lead.end() == len(prefix):
            return True  # imperative at clause start: "Please refer me", "Refer me for the role"
    window_start = max(0, pred_start - 160)
    for f in _overlapping(_ADDRESSED, prefix, window_start):
        if _REPORTED.search(prefix, max(0, f.start() - 30), f.start()):
            continue  # "you said you'd refer me to that article"
        if f.group() in ("kindly", "please") and _THIRD_PARTY_BEFORE.search(prefix, max(0, f.start() - 40), f.start()):
            continue  # "my professor kindly agreed to recommend me"
        if _reaches(prefix, f.end(), addressed=True):
            return True
    if kind != "verb":
        for f in _overlapping(_WISH, prefix, window_start):
            if _THIRD_PARTY_BEFORE.search(prefix, max(0, f.start() - 40), f.start()):
                continue  # "my cousin would love a referral"
            if _ADVICE_BEFORE.search(prefix, max(0, f.start() - 20), f.start()):
                continue  # "should I ask for a referral?": a question about asking
            if _reaches(prefix, f.end(), addressed=False):
                return True
            between = prefix[f.end() :]  # "hoping for your kind support in [referring me]": nobody else but you
            if kind == "me" and len(between.split()) <= _LENIENT_WORDS and not _DOER_CHANGE_WISH.search(between):
                return True
    return False


def _overlapping(pattern: re.Pattern[str], text: str, pos: int) -> Iterable[re.Match[str]]:
    """Every match of `pattern`, overlapping ones too ("would it be okay" and "okay if I")."""
    while (m := pattern.search(text, pos)) is not None:
        yield m
        pos = m.start() + 1


def _negated(clause: str, pred_start: int) -> bool:
    """'I'm not asking you to refer me', 'No ask for a referral', "I won't ask you to pass my resume along"."""
    prefix = clause[:pred_start]
    if _DIRECT_NEG.search(prefix):
        return True
    near = _NEAR_NEG.search(prefix)  # "please don't put in a good word", "you can't get me an interview"
    if near and not _ADDRESSED_STRONG.search(prefix, near.start() + 1):
        return True
    for n in _NEG.finditer(prefix):
        v = _NEG_VERB.match(prefix, n.end())
        if v and not re.search(r"[,;:]", prefix[v.end() :]) and not _ADDRESSED_STRONG.search(prefix, v.end()):
            return True
    if _HYPOTHETICAL.search(prefix):  # "if I were bolder I'd ask you to refer me"
        return True
    # "thanks for offering to refer me", not "thanks! could you refer me"
    return any(not _ADDRESSED_STRONG.search(prefix, t.end()) for t in _THANKS.finditer(prefix))


_POST_WISH_RE = _lazy(_POST_WISH)
_POST_PLEASE = _lazy(
    r"[^.?!;]{0,80}?\b(?:(?:i'd|i\s+would)\s+(?:really\s+|so\s+|truly\s+)?(?:appreciate|love|be\s+(?:so\s+|very\s+)?grateful)\b"
    r"|if\s+(?:possible|you\s+can|you\s+could|you're\s+able|you\s+are\s+able|you\s+don't\s+mind|that's\s+(?:ok|okay|alright))\b"
    r"|please\b)"
)


# What else may open a clause before an ask that a wish follows: "if there's [an internal route] ... I'd
# appreciate it", "is [an internal referral] something you'd offer?", "your help with [a referral] would be huge".
_OTHER_LEAD = _lazy(
    r"\W*(?:(?:if\s+)?(?:there's|there\s+is|there\s+were|there\s+was)|is|would|could|might|will|to"
    r"|(?:your|any|some)\s+(?:\w+\s+)?(?:help|support|assistance|backing)\s+(?:with|in|for|on|toward|towards|getting|landing))\s+$"
)
_POST_POSSIBLE = _lazy(
    r"[^.?!;]{0,80}?\b(?:be|is)\s+(?:at\s+all\s+|even\s+|ever\s+)?(?:possible|an\s+option|doable|on\s+the\s+table|something\s+you|okay|ok)\b"
)


def _wished_after(clause: str, m: re.Match[str]) -> bool:
    """'A referral for the APM role would be amazing': the ask opens the clause and a wish follows it."""
    lead = _IMPERATIVE_LEAD.match(clause)
    if not (lead and lead.end() == m.start()) and not _OTHER_LEAD.match(clause[: m.start()]):
        return False
    if _ASKED_AFTER.match(clause, m.end()):  # "is a referral something you'd consider?"
        return True
    if _POST_WISH_RE.match(clause, m.end()) or _POST_PLEASE.match(clause, m.end()):
        return True
    return bool(re.match(r"\W*(?:would|could|might|is|will)\b", clause) and _POST_POSSIBLE.match(clause, m.end()))


def _hand_over_ok(clause: str, m: re.Match[str]) -> bool:
    """'forward my CV (to the recruiter)', not 'share my resume with you' nor 'get my resume reviewed'."""
    rest = clause[m.end() :]
    if _TO_ME_OR_YOU.match(rest):
        return False
    verb = m.group("v").split()[0]
    if verb in _NEEDS_TARGET:
        return bool(_TARGET_OF_HAND_OVER.match(rest) or (verb.startswith("mov") and _ALONG.match(rest)))
    if " ".join(m.group("d").split()) in _WEAK_DOCUMENTS:  # "my details": only towards the hiring side
        return bool(_TARGET_OF_HAND_OVER.match(rest) or _HIRING_CONTEXT.search(clause))
    return True


_ALONG = _lazy(r"\s+(?:along|forward|ahead|through|up)\b")  # "move my app along"
_ME_BEFORE = _lazy(r"\b(?:about|of|for|on)\s+me\s+and\b")


def _tell_ok(norm: str, clause: Clause, text: str, m: re.Match[str]) -> bool:
    """'let the recruiter know about me', 'tell them I applied' (them: the hiring side named before)."""
    target = m.group("t")
    if re.fullmatch(_PRONOUN, target) and not _HIRING_CONTEXT.search(
        norm, max(0, clause.start - 400), clause.start + m.start()
    ):
        return False
    mine = (
        _SELF_CONTENT.search(text, m.end())
        or _MY_DOC_RE.search(text, 0, m.start())
        or _ME_BEFORE.search(text, 0, m.start())  # "would you think about me and inform the recruiter?"
    )
    return bool(mine) and not _LEARNING.search(text, m.end())


def _anchored(text: str, present: frozenset[str], anchors: tuple[tuple[str, ...], ...]) -> bool:
    """Whether `text` holds a string of each anchor set, in order (`present`: the anchor strings it holds at all)."""
    if any(present.isdisjoint(group) for group in anchors):
        return False
    pos = 0
    for group in anchors:  # the earliest end of each set's strings after the last one's: a chain if any is
        ends = [at + len(s) for s in group if s in present and (at := text.find(s, pos)) >= 0]
        if not ends:
            return False
        pos = min(ends)
    return True


_SELF_KINDS = frozenset(("itself", "hired"))
_VERB_KINDS = frozenset(("it", "mine", "hand", "tell", "keep", "intro"))


def _candidates(text: str, strings: tuple[str, ...]) -> list[tuple[str, _Lazy]]:
    """The rules whose anchors `text` holds (`strings`: the anchor strings its whole message holds)."""
    if not _GUARDED:
        return [(kind, pattern) for kind, pattern, _ in _PREDICATES]
    present = frozenset(s for s in strings if s in text)
    return [(kind, pattern) for kind, pattern, anchors in _PREDICATES if _anchored(text, present, anchors)]


def _clause_ask(
    norm: str,
    clause: Clause,
    text: str,
    doc_end: tuple[int, int],
    rules: list[tuple[str, _Lazy]],
    offers: list[int],
) -> int | None:
    """Offset (into the canonical text) where the clause's ask predicate starts, or None; `text` is the clause's.

    `doc_end`: where the text first names my resume (`_DOC_BEFORE`), then where it first names it as my resume, CV
    or application (`_MINE_BEFORE`), each past the end if it never does; `rules`: the rules to try (those whose anchors
    the clause holds: a rule without them cannot match). An ask they offered ("you mentioned you could refer me") is no
    ask by itself: its offset goes to `offers`.
    """
    for kind, pattern in rules:
        for m in pattern.finditer(text):
            if kind in ("it", "itself") and doc_end[0] > clause.start + m.start():
                continue  # "pass it on": it must be my resume
            if kind == "mine" and doc_end[1] > clause.start + m.start():
                continue  # "share it with anyone": it must be my resume, by name
            if kind == "hand" and not _hand_over_ok(text, m):
                continue
            if kind == "tell" and not _tell_ok(norm, clause, text, m):
                continue
            if kind == "keep" and _NOT_JOB.search(text) and not _ROLE_WORD.search(text):
                continue  # "if you ever need a volunteer for user testing, keep me in mind"
            if kind == "intro" and _LEARNING.search(text, m.end()):
                continue  # "introduce me to someone on the recruiting team to learn about their work"
            if kind == "hired" and not _HIRING_CONTEXT.search(text):
                continue  # "a quick mention of my name would be amazing": to the hiring side, named in the clause
            k = "self" if kind in _SELF_KINDS else "verb" if kind in _VERB_KINDS else kind
            if k == "self":
                framed = True
            elif k == "noun":
                framed = bool(_GOVERNOR.search(text[: m.start()])) and _has_frame(text, m.start(), k)
            else:
                framed = _has_frame(text, m.start(), k)
            if k == "noun" and _COPULA_AFTER.match(text, m.end()):
                continue  # "a referral is a golden ticket": a topic
            if not (framed or _wished_after(text, m) or (k in ("verb", "me") and _ASKED_AFTER.match(text, m.end()))):
                if _OFFERED.search(text, max(0, m.start() - 80), m.start()) and not _negated(text, m.start()):
                    offers.append(clause.start + m.start())
                continue
            if _negated(text, m.start()):
                continue
            if _OPEN_QUOTE.search(text, max(0, m.start() - 60), m.start()) and _QUOTED_KIND.match(
                norm, clause.start + m.end()
            ):
                continue  # "this isn't one of those 'please refer me' messages": a kind of message, named
            return clause.start + m.start()
    return None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    junk = " \t\r\n,\"'“”‘’"
    while start < end and text[start] in junk:
        start += 1
    while end > start and text[end - 1] in junk:
        end -= 1
    return start, end


# The rules read a clause at most this long at a time: a longer one (no real sentence has one; the corpus's longest
# is 269 characters) is read in pieces, cut at a space. Each rule's checks around a match look back over its clause,
# so a clause of n characters costs up to n² -- bounded this way, a text of any length costs time linear in it.
_MAX_CLAUSE = 1000


def _pieces(norm: str, found: Iterable[Clause]) -> Iterator[Clause]:
    """The clauses, the longer ones cut at spaces into pieces of at most `_MAX_CLAUSE` characters."""
    for clause in found:
        start = clause.start
        while clause.end - start > _MAX_CLAUSE:
            cut = norm.rfind(" ", start + _MAX_CLAUSE // 2, start + _MAX_CLAUSE)
            end = cut + 1 if cut >= 0 else start + _MAX_CLAUSE
            yield Clause(start, end, clause.sentence)
            start = end
        yield Clause(start, clause.end, clause.sentence)


# A disclaimer taken back in the same sentence: "Not asking for a referral yet, but I'd love one later", "I'm not
# asking for a referral, unless you'd be comfortable giving one", "... but if you offered one I'd say yes". The
# disclaimer cancels the clause it is in; what follows the turn ("but", "unless") asks for the same thing ("one").
# Not "I'm not asking for a referral, but I'd love one piece of advice / your take / to chat": no "one" (a
# referral) is wished for there.
_TURN_ASK = (
    r"\b(?:i'd|i\s+would|i'll|i\s+will|i)\s+(?:[\w']+\s+){0,2}?(?:love|like|welcome|appreciate|take|accept|treasure|value"
    r"|be\s+(?:\w+\s+)?(?:grateful|thankful|glad|happy|thrilled|honou?red)\s+(?:for|to\s+(?:have|get|receive|take))|jump\s+at)\s+"
    r"(?:one\b(?!\s+(?:day|of|thing|things|more|question|piece|tip|idea|minute|moment|quick|bit|small|big|last|other)\b)"
    r"|(?:it|that)\s+(?=later|someday|eventually|down\s+the|in\s+the\s+future|at\s+some\s+point))"
    r"|\b(?:wouldn't|would\s+not|won't|will\s+not|couldn't|never|not)\s+(?:\w+\s+)?(?:say\s+no|turn\s+(?:one|it|that)\s+down)\b"
    r"|\bif\s+you\s+(?:ever\s+|did\s+|do\s+|were\s+to\s+)?(?:offered|offer|volunteered|volunteer)\s+(?:me\s+)?(?:one\b|it\b|that\b"
    r"|to\s+(?:do\s+(?:so|it|that)|refer|recommend|vouch|endorse|nominate|(?:give|write|make)\s+(?:me\s+)?one)\b)"
    r"|\b(?:(?:if|should)\s+you(?:'re|\s+are|\s+were|\s+feel|\s+felt|'d\s+be|\s+would\s+be)|(?:would|could|will)\s+you\s+be)\s+"
    r"(?:\w+\s+)?(?:willing|comfortable|happy|open|okay|inclined)\s+(?:to\s+)?(?:give|make|write|offer|provide|do|giving|making"
    r"|writing|offering|providing|doing)\s+(?:me\s+)?(?:one|it|so|that)\b"
)
_TAKEN_BACK = _lazy(
    r"(?:\b(?:not|never|no)|n't)\s+[^.?!;]{0,50}?\b(?:referrals?|recommendations?|references?|endorsements?|intros?"
    r"|introductions?|refer|recommend|vouch|nominate|endorse)\b"
    r"[^.?!]{0,40}?(?:\bunless\s+(?:[\w']+\s+)?(?:you|you'd|you're|you've|you'll)\b"
    r"(?![^.?!]{0,60}\b(?:advice|chat|call|coffee|questions?|perspective|insights?|thoughts|feedback|hear|learn|talk|time)\b)"
    rf"|\b(?:but|though|although|however|yet|still|that\s+said|then\s+again)\b[^.?!]{{0,80}}?(?:{_TURN_ASK}))"
)

_REFERRAL_STEM = re.compile(r"refer|recommend|endorse|intro|vouch|nominat")  # what _TAKEN_BACK needs: checked first


def _taken_back(norm: str, found: Iterable[Clause]) -> dict[int, tuple[int, int, int]]:
    """Sentence number -> (start, end, match start) in `norm` of each sentence whose disclaimer is taken back."""
    spans: dict[int, list[int]] = {}
    for clause in found:
        span = spans.setdefault(clause.sentence, [clause.start, clause.end])
        span[1] = clause.end
    out = {}
    for n, (a, b) in spans.items():
        if (m := _TAKEN_BACK.search(norm, a, b)) is not None:
            out[n] = (a, b, m.start())
    return out


def rule_asks(text: str) -> dict[int, list[tuple[int, int, int]]]:
    """The rules' asks: sentence number -> (start, end, ask start) of each asking clause, in `text`'s offsets."""
    norm, back = canonical(text)

    def orig(i: int) -> int:
        return i if back is None else back[i]

    hits: dict[int, list[tuple[int, int, int]]] = {}
    doc = _DOC_BEFORE.search(norm)
    mine = _MINE_BEFORE.search(norm)
    doc_end = (doc.end() if doc else len(norm) + 1, mine.end() if mine else len(norm) + 1)
    chars = frozenset(norm)
    strings = tuple(s for s in _ANCHOR_STRINGS if chars.issuperset(s) and s in norm)
    candidates: dict[str, list[tuple[str, _Lazy]]] = {}  # by clause text: adversarial texts repeat one clause
    offered: list[tuple[Clause, int]] = []
    found = list(clauses(norm))
    for clause in _pieces(norm, found):
        piece = norm[clause.start : clause.end]
        if (rules := candidates.get(piece)) is None:
            rules = candidates[piece] = _candidates(piece, strings)
        if not rules:
            continue
        offers: list[int] = []
        at = _clause_ask(norm, clause, piece, doc_end, rules, offers)
        if at is None and offers:
            offered.append((clause, offers[0]))
        elif at is not None:
            start, end = _trim(text, orig(clause.start), orig(clause.end - 1) + 1)
            hits.setdefault(clause.sentence, []).append((start, end, orig(at)))
    for clause, at in offered:  # "you mentioned you could refer me ... is that still possible?": an offer taken up
        if clause.sentence not in hits and _TAKEN_UP.search(norm, clause.end, clause.end + 300):
            start, end = _trim(text, orig(clause.start), orig(clause.end - 1) + 1)
            hits[clause.sentence] = [(start, end, orig(at))]
    if _REFERRAL_STEM.search(norm):  # cheap: most texts never name a referral
        for n, (a, b, at) in _taken_back(norm, found).items():
            if n not in hits:
                start, end = _trim(text, orig(a), orig(b - 1) + 1)
                hits[n] = [(start, end, orig(at))]
    return dict(sorted(hits.items()))



def model_asks(text: str) -> dict[int, tuple[int, int]]:
    """The sentence model's asks: sentence number -> (start, end) of the sentence, in `text`'s offsets."""
    norm, back = canonical(text)
    threshold = referral_model.threshold()
    hits = {}
    for n, a, b, doc_before in referral_model.sentences(norm):
        if referral_model.logit(norm[a:b], doc_before) >= threshold:
            start, end = (a, b) if back is None else (back[a], back[b - 1] + 1)
            start, end = _trim(text, start, end)
            if start < end:
                hits[n] = (start, end)
    return hits


def find_referral_asks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, quote) per sentence that asks them to refer me / pass on my resume / get me an interview.

    A sentence asks when the rules find an ask in it (the span covers its asking clauses, the quote starts at the
    ask) or the sentence model rates it an ask (the span and quote are the sentence). Quotes are shortened.
    """
    rules = rule_asks(text)
    model = model_asks(text)
    out = []
    for n in sorted(rules.keys() | model.keys()):
        if n in rules:
            found = rules[n]
            out.append((found[0][0], found[-1][1], shorten(text[found[0][2] : found[0][1]])))
        else:
            start, end = model[n]
            out.append((start, end, shorten(text[start:end])))
    return out
