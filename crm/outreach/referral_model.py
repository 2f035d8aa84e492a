"""The trained half of the referral detector: a logistic regression over one sentence's words, scored in plain Python.

The rules in `crm.outreach.referral` are precise but only know the phrasings they were written for. This model
reads a sentence as word n-grams, character n-grams (typos, new inflections) and -- what carries across writers --
the sentence's *shape*: each word mapped to its role in an ask (a request frame, a hiring-process verb, a document
of mine, someone on the hiring side, a negation, thanks or reported speech), n-grams of those roles ("could you FLAG
MY DOC to the HIRE"), and the roles present, marked by whether the hiring side is named at all.
`tests/data/referral/train.py` fits it on the dev corpus with scikit-learn; the weights ship as plain data in
`crm.outreach.referral_weights`, and nothing here imports numpy or scikit-learn.

`features()` is the one definition of a sentence's features: the training script calls it too.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

__all__ = ["features", "logit", "probability", "sentences", "threshold"]

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+|[?]")

# Each word's role in an ask: general English and hiring vocabulary, none of it taken from the corpus's texts.
_ROLES = {
    "REFER": (
        "refer referring refers recommend recommending endorse endorsing nominate nominating vouch vouching champion "
        "championing sponsor sponsoring advocate advocating shortlist shortlisting fast-track expedite back backing "
        "support supporting"
    ),
    "REFERRED": "referred recommended endorsed nominated vouched championed sponsored shortlisted backed",
    "REFNOUN": (
        "referral referrals recommendation recommendations endorsement nomination reference referee referrer intro "
        "introduction word heads-up"
    ),
    "HAND": (
        "pass passing forward forwarding send sending share sharing submit submitting flag flagging mention mentioning "
        "route routing circulate circulating hand handing push pushing drop dropping put putting get getting bring "
        "bringing give giving loop looping ping pinging slip slipping escalate bump float present presenting show "
        "showing highlight highlighting pitch pitching move moving nudge connect connecting introduce introducing "
        "link linking tell telling let inform notify alert socialize socialise surface surfacing"
    ),
    "HANDED": (
        "passed forwarded sent shared submitted flagged routed circulated handed pushed dropped brought gave given "
        "looped pinged introduced connected informed"
    ),
    # Reported speech: "you said you could refer me" reports an offer, it asks nothing.
    "SAID": "said says mentioned offered promised told suggested agreed asked wrote replied",
    "DOC": (
        "resume resumes cv cvs application applications app profile portfolio candidacy candidature name details "
        "materials credentials background info information packet one-pager deck summary linkedin"
    ),
    "HIRE": (
        "recruiter recruiters recruiting recruitment hiring hr ta talent manager managers hm hms lead leads committee "
        "panel director head partner partners screener screeners acquisition"
    ),
    "ROLE": (
        "role roles position positions opening openings job jobs internship internships intern program programme "
        "req reqs requisition vacancy vacancies opportunity opportunities posting spot headcount fellowship cohort "
        "scheme apm pm analyst"
    ),
    "INTERVIEW": "interview interviews screen screening",
    "MODAL": "could would can will might may couldn't wouldn't can't won't",
    "YOU": "you your yours yourself u ur you'd you're you'll",
    "ME": "me myself",
    "MY": "my mine",
    "I": "i i'd i'm i've i'll we we'd we're",
    "PLEASE": "please kindly pls plz",
    "WISH": (
        "love like appreciate grateful thankful hoping hope wondering wonder hoped wondered welcome keen eager "
        "honored honoured glad delighted"
    ),
    "WILLING": "willing open able comfortable happy okay ok possible chance mind consider",
    "NEG": (
        "not no never without don't won't isn't aren't wasn't didn't doesn't haven't hasn't shouldn't nor none "
        "neither nothing"
    ),
    "THANK": "thanks thank thx ty",
    "PAST": "yesterday ago last already earlier previously",
    "THIRD": (
        "he she they him her them his their friend friends classmate classmates roommate cousin sister brother "
        "colleague colleagues professor someone somebody anyone"
    ),
    "LEARN": (
        "learn learning tip chat coffee call understand curious insight insights perspective feedback review "
        "question questions hear story prep"
    ),
    "TOPIC": "process program bonus policy work works how what why whether",
    "ADVICE": "should advice tips worth better best think thoughts opinion",
}
_ROLE_OF = {word: role for role, words in _ROLES.items() for word in words.split()}
# Kept as themselves in the role sequence: the little words that join an ask's parts.
_JOINERS = frozenset(
    ("to", "for", "with", "on", "in", "a", "an", "the", "if", "it", "as", "about", "of", "me", "and", "or", "at", "by")
    + ("from", "through", "via")
)

_HIRING_SIDE = frozenset(("HIRE", "ROLE", "INTERVIEW"))
_PRIOR_DOC = frozenset(("resume", "cv", "application", "portfolio", "profile", "candidacy"))


def _words(sentence: str) -> list[str]:
    return _TOKEN.findall(sentence)


@lru_cache(maxsize=512)
def features(sentence: str, doc_before: bool = False) -> tuple[str, ...]:
    """The features of one canonical (lower-case, spelled-out) sentence; `doc_before`: my resume named earlier."""
    words = _words(sentence)
    out: list[str] = []
    padded = ["<s>", *words, "</s>"]
    out += ["w:" + t for t in words]
    out += ["b:" + a + " " + b for a, b in zip(padded, padded[1:], strict=False)]
    roles = ["<s>"] + [_ROLE_OF.get(t) or (t if t in _JOINERS else "_") for t in words] + ["</s>"]
    compact = [r for r in roles if r != "_"]
    out += ["r:" + a + " " + b for a, b in zip(compact, compact[1:], strict=False)]
    out += ["r3:" + a + " " + b + " " + c for a, b, c in zip(compact, compact[1:], compact[2:], strict=False)]
    present = {r for r in roles if r.isupper()}
    out += ["p:" + r for r in sorted(present)]
    # Each role again, marked by whether the sentence names the hiring side: "flag my name to the organisers of the
    # book club" has the shape of an ask, but its target is outside hiring.
    target = "t:hiring:" if present & _HIRING_SIDE else "t:other:"
    out += [target + r for r in sorted(present)]
    for word in words:
        if len(word) > 3:
            padded_word = "<" + word + ">"
            out += ["c:" + padded_word[i : i + 4] for i in range(len(padded_word) - 3)]
    if doc_before:
        out.append("ctx:doc_before")
    # Each feature once: the model was fitted on which features a sentence has, not how often, so "word word word
    # word word" must not count "good word"'s weight five times.
    return tuple(dict.fromkeys(out))


def names_a_document(sentence: str) -> bool:
    """Whether a sentence names my resume, CV or application (so a later "pass it on" can mean it)."""
    words = _words(sentence)
    return any(a in ("my", "attached") and b in _PRIOR_DOC for a, b in zip(words, words[1:], strict=False)) or (
        "attached" in words and any(w in _PRIOR_DOC for w in words)
    )


@lru_cache(maxsize=1)
def _model() -> tuple[dict[str, int], int, float, int]:
    from crm.outreach import referral_weights as m

    return m.weights(), m.BIAS, m.THRESHOLD, m.SCALE


def logit(sentence: str, doc_before: bool = False) -> float:
    """The model's log-odds that this canonical sentence asks for a referral."""
    weights, bias, _, scale = _model()
    get = weights.get
    return (bias + sum(get(f, 0) for f in features(sentence, doc_before))) / scale


def probability(sentence: str, doc_before: bool = False) -> float:
    """The model's probability that this canonical sentence asks for a referral."""
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit(sentence, doc_before)))))


def threshold() -> float:
    """The logit from which a sentence is an ask (chosen by leave-one-writer-out cross-validation)."""
    return _model()[2]


def sentences(norm: str) -> list[tuple[int, int, int, bool]]:
    """(sentence number, start, end, my resume named in an earlier sentence) for each sentence of a canonical text.

    Sentences as the rules count them (`crm.outreach.text.clauses`), so that both halves name the same ones.
    """
    from crm.outreach.text import clauses

    spans: dict[int, list[int]] = {}
    for c in clauses(norm):
        span = spans.setdefault(c.sentence, [c.start, c.end])
        span[1] = c.end
    out = []
    doc_seen = False
    for n, (a, b) in spans.items():
        out.append((n, a, b, doc_seen))
        doc_seen = doc_seen or names_a_document(norm[a:b])
    return out
