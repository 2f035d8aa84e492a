"""Turning my own notes into sentences I can send: the target as a role, a next step as a promise to "you".

What I type in the log is written to myself ("Send him my notes on the paper", "Maya says ship weekly");
a message reads it back to the person, so the templates pass it through these (as Jinja filters) rather than
pasting it. Each function leaves text it does not understand as it was: a stiff sentence beats a wrong one.
"""

from __future__ import annotations

import re

# Role nouns a target may end with ("Product Manager at Spotify", "APM", "data science intern").
_ROLE_NOUNS = frozenset(
    [
        "manager",
        "pm",
        "apm",
        "tpm",
        "engineer",
        "analyst",
        "designer",
        "scientist",
        "researcher",
        "intern",
        "internship",
        "associate",
        "lead",
        "consultant",
        "strategist",
        "marketer",
        "owner",
        "developer",
        "architect",
        "specialist",
        "director",
        "officer",
        "fellow",
    ]
)
_ALREADY_A_ROLE = re.compile(r"\b(roles?|jobs?|positions?|internships?|career|offer)\b", re.I)
_ARTICLE = re.compile(r"^(a|an|the|my|our|one|some)\s", re.I)


def role_phrase(target: str | None) -> str:
    """My target after "working toward": "Product Manager at Spotify" -> "a Product Manager role at Spotify".

    "PM internship at Figma" gets its article ("a PM internship at Figma"); a target that starts with an
    article, or names a field rather than a role ("product management", "fintech"), is kept as typed.
    """
    text = " ".join(str(target or "").split())
    if not text or _ARTICLE.match(text):
        return text
    title, at, place = text.partition(" at ")
    if not at:
        title, at, place = text.partition(" @ ")
        at = " at " if at else ""
    named = _ALREADY_A_ROLE.search(title)
    if named:
        return text if named.group(1).lower().endswith("s") else _a(text)
    if title.split()[-1].lower().rstrip(".") in _ROLE_NOUNS:
        return f"{_a(title)} role{at}{place}"
    return text


def _a(phrase: str) -> str:
    """ "a" or "an" by the first sound: acronyms letter by letter ("an APM", "a PM"), words by their spelling."""
    first = phrase.split()[0]
    if first.isupper() and len(first) <= 5:
        vowel = first[0] in "AEFHILMNORSX"
    else:
        low = first.lower()
        vowel = (
            low[0] in "aeiou"
            and not low.startswith(("uni", "use", "usu", "eu", "one"))
            or low.startswith(("hour", "honest"))
        )
    return f"{'an' if vowel else 'a'} {phrase}"


# Verbs my next steps start with: "Send him my notes" becomes "I'll send you my notes".
_STEP_VERBS = frozenset(
    [
        "send",
        "share",
        "ask",
        "check",
        "look",
        "apply",
        "message",
        "email",
        "follow",
        "read",
        "try",
        "book",
        "schedule",
        "call",
        "write",
        "tell",
        "thank",
        "introduce",
        "connect",
        "review",
        "update",
        "finish",
        "prepare",
        "draft",
        "reach",
        "ping",
        "text",
        "set",
        "meet",
        "find",
        "get",
        "make",
        "bring",
        "forward",
        "circle",
        "report",
        "reply",
        "respond",
        "confirm",
        "watch",
        "listen",
        "sign",
        "register",
        "join",
        "visit",
        "research",
        "learn",
        "build",
        "ship",
        "practice",
        "study",
        "compare",
        "revise",
        "polish",
        "put",
        "loop",
        "let",
        "keep",
        "give",
        "show",
        "pass",
        "post",
        "return",
        "dig",
        "think",
        "catch",
        "mention",
        "grab",
        "run",
        "test",
        "sketch",
        "outline",
        "summarize",
        "summarise",
        "record",
    ]
)
_SUBJECT_VERB = {"has": "have", "is": "are", "was": "were", "does": "do", "goes": "go"}
_DETERMINERS = frozenset(
    ["my", "the", "a", "an", "our", "some", "this", "that", "these", "those", "what", "how", "when", "about", "know"]
)


def as_you(text: str | None, first_name: str | None) -> str:
    """My note about them, said to them: "Maya's point: ship weekly" -> "your point: ship weekly".

    Their first name and he/she/him/his/her become you/your (with the verb that follows agreeing:
    "she says" -> "you say"); names of anyone else are left alone.
    """
    words = re.split(r"(\s+)", str(text or "").strip())
    name = (first_name or "").strip().lower()
    out: list[str] = []
    for i, word in enumerate(words):
        if not word or word.isspace():
            out.append(word)
            continue
        core = word.strip(".,;:!?\"'()")
        lead, trail = word[: word.find(core)] if core else "", word[word.find(core) + len(core) :] if core else ""
        low = core.lower()
        following = _next_word(words, i)
        if name and low in (f"{name}'s", f"{name}’s"):
            new = "your"
        elif low in ("he", "she") or (name and low == name and _is_subject(following)):
            new = "you"
            if following is not None:
                _agree_next(words, i)
        elif (name and low == name) or low == "him":
            new = "you"
        elif low == "his":
            new = "your"
        elif low == "her":
            new = "you" if following is None or following.lower().strip(".,;:!?") in _DETERMINERS else "your"
        else:
            out.append(word)
            continue
        if core[:1].isupper() and not out:
            new = new.capitalize()
        out.append(lead + new + trail)
    return "".join(out)


def promise(step: str | None, first_name: str | None) -> str:
    """A next step I wrote for myself, as a promise to them: "Send him my notes." -> "I'll send you my notes".

    A step that does not start with a verb I know is returned in the second person without "I'll".
    No closing full stop: the template ends the sentence.
    """
    text = as_you(step, first_name).strip().rstrip(".;,! ")
    first, _, rest = text.partition(" ")
    if first.lower() in _STEP_VERBS:
        return f"I'll {first.lower()} {rest}".strip()
    if first.lower() in ("i", "i'll", "i’ll", "we", "we'll"):
        return text
    return text[:1].lower() + text[1:] if text[:2].istitle() and not text[1:2].isupper() else text


# The past participles of _STEP_VERBS that do not just add "ed" ("apply" -> "applied" and "share" -> "shared" do).
_PARTICIPLES = {
    "send": "sent", "read": "read", "write": "written", "tell": "told", "set": "set", "meet": "met",
    "find": "found", "get": "gotten", "make": "made", "bring": "brought", "put": "put", "let": "let",
    "keep": "kept", "give": "given", "show": "shown", "dig": "dug", "think": "thought", "catch": "caught",
    "run": "run", "build": "built", "ship": "shipped", "grab": "grabbed",
}  # fmt: skip


def participle(verb: str) -> str:
    """ "send" -> "sent", "share" -> "shared", "apply" -> "applied", "check" -> "checked" (verbs of next steps)."""
    low = verb.lower()
    if low in _PARTICIPLES:
        return _PARTICIPLES[low]
    if low.endswith("e"):
        return low + "d"
    if low.endswith("y") and low[-2:-1] not in ("a", "e", "o", "u"):
        return low[:-1] + "ied"
    return low + "ed"


def kept(step: str | None, first_name: str | None) -> str:
    """A promise I have kept, said to them as done: "Send her my A/B one-pager" -> "I've sent you my A/B one-pager".

    Empty when the step does not start with a verb I know: a thank-you then leaves the promise out rather than
    guess at a sentence (and never promises again what is already done). No closing full stop.
    """
    text = as_you(step, first_name).strip().rstrip(".;,! ")
    first, _, rest = text.partition(" ")
    if first.lower() in ("i'll", "i’ll"):
        first, _, rest = rest.partition(" ")
    elif first.lower() == "i" and rest.lower().startswith("will "):
        first, _, rest = rest[len("will ") :].partition(" ")
    if first.lower() not in _STEP_VERBS:
        return ""
    return f"I've {participle(first)} {rest}".strip()


def _next_word(words: list[str], i: int) -> str | None:
    for word in words[i + 1 :]:
        if word and not word.isspace():
            return word
    return None


def _is_subject(following: str | None) -> bool:
    """Their name is the subject when a third-person verb follows: "Maya says", "Maya thinks"."""
    if following is None:
        return False
    low = following.lower().strip(".,;:!?")
    return low in _SUBJECT_VERB or (low.endswith("s") and not low.endswith("ss") and len(low) > 3)


def _agree_next(words: list[str], i: int) -> None:
    """Make the verb after a new "you" agree: says -> say, watches -> watch, has -> have."""
    for j in range(i + 1, len(words)):
        word = words[j]
        if not word or word.isspace():
            continue
        core = word.rstrip(".,;:!?")
        trail = word[len(core) :]
        low = core.lower()
        if low in _SUBJECT_VERB:
            words[j] = _SUBJECT_VERB[low] + trail
        elif low.endswith(("ches", "shes", "sses", "xes", "zes")):
            words[j] = core[:-2] + trail
        elif low.endswith("ies") and len(low) > 4:
            words[j] = core[:-3] + "y" + trail
        elif low.endswith("s") and not low.endswith("ss") and len(low) > 3:
            words[j] = core[:-1] + trail
        return


_LEADING_OWNER = re.compile(r"^(?:her|his|their|your|my|the|a|an)\s+(?=\S)", re.I)


def their_work(hook: str | None) -> str:
    """A hook as it reads after "your": "her post on latency" -> "post on latency" (never "your her post").

    Hooks are typed as notes to myself ("her talk at MIT", "the podcast interview"); templates write "your ..."
    before them. A hook that does not start with one of these words is kept as typed.
    """
    return _LEADING_OWNER.sub("", " ".join(str(hook or "").split()), count=1)
