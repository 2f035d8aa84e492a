"""Coffee-chat prep (`crm prep CONTACT`): a one-page brief to read before the call.

Who they are; how we met (the warm path and the contact's source); their hooks, with the question each inspires;
everything from earlier chats; promised next steps still open; my most relevant project (chosen as a draft chooses
it, `crm.outreach.drafts.choose_project`); and three questions to ask.

Choices (each pinned by a test):
- **Open promises** (`crm.followups.reads.open_promises`, which the contact's page and `crm contact show` list too):
  the promises I made them and have not marked done (`crm log --promise`, or a next step with a date), dated ones
  by date first; then the undated next steps noted on chats logged after my last message to them (by date, then by
  the order logged). A message of mine since a chat is taken to have kept what that chat's undated next step
  promised (the thank-you, the analysis I said I'd send); nothing since, and it is still open. Simple, and it never
  needs me to tick anything off; a promise with a date waits for `crm done CONTACT --promise ID` (or `x` in This
  week) instead.
- **Questions**: up to two from their hooks (the question stored with a hook first, newest hook first; a hook with
  none gives "What was the hardest trade-off behind your <hook>?"), one about their team (or company), then more
  hooks, then general ones, until there are three. A question I already asked them in a sent draft is skipped,
  and so is any question the referral-ask check flags (`check_referral_ask`, the strictest reading): a prep
  brief never suggests asking for a referral. So is a near-copy of one already chosen or asked (`near_copy`: the
  same words but for their team's or company's name and a few small words), so the three are three questions.
- **Who they are** (`position`): role, team and company, each left out when an earlier one already says it
  ("Product Manager, Discovery" and team "Discovery" after a merge read "Product Manager, Discovery · Spotify").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crm.display import words_of
from crm.insights.paths import PathStep, warm_path

QUESTIONS = 3
FROM_HOOKS_FIRST = 2

# Profile fields the brief shows, from `crm.contacts.reads.contact_details`.
CONTACT_KEYS = (
    "id", "name", "role", "team", "company", "school", "program", "grad_year", "location", "email", "linkedin_url",
    "source", "introduced_by", "stage", "tags", "notes", "last_interaction", "next_follow_up", "next_follow_up_reason",
)  # fmt: skip

GENERAL_QUESTIONS = (
    "What's one product decision you wish someone had questioned earlier?",
    "Which metric do you watch most closely, and why that one?",
    "What surprised you most about how decisions get made where you work?",
    # Spares, for when a question above was already asked or is a near-copy of one about their team.
    "What's the hardest problem you're working on right now?",
    "What do you know now that you wish you'd known when you started?",
)


@dataclass(frozen=True)
class Chat:
    date: dt.date
    notes: str | None
    takeaways: str | None
    next_step: str | None

    def as_json(self) -> dict:
        return {"date": self.date.isoformat(), "notes": self.notes, "takeaways": self.takeaways,
                "next_step": self.next_step}  # fmt: skip


@dataclass(frozen=True)
class Promise:
    date: dt.date  # the day it was promised (of the chat it was noted on)
    next_step: str  # what I promised
    due: dt.date | None = None
    id: int | None = None  # a stored promise; None for a chat's undated next step

    def as_json(self) -> dict:
        return {"date": self.date.isoformat(), "next_step": self.next_step,
                "due": self.due.isoformat() if self.due else None, "id": self.id}  # fmt: skip


@dataclass(frozen=True)
class Question:
    text: str
    source: str  # "hook: <its text>", "team: <team>", "company: <company>" or "general"


@dataclass(frozen=True)
class Brief:
    contact: dict  # the profile (CONTACT_KEYS of `contact show --json`)
    path: list[PathStep]  # first introducer first, ending with them
    hooks: list[dict]  # text, url, date, question; newest first
    chats: list[Chat]  # oldest first
    open_promises: list[Promise]  # oldest first
    project: dict | None  # name, description, result
    questions: list[Question]
    history: dict[str, int]  # how many messages, replies, chats, intros, referrals so far

    @property
    def introduced(self) -> bool:
        return len(self.path) > 1

    def as_json(self) -> dict:
        return {
            "contact": self.contact,
            "path": [step.as_json() for step in self.path],
            "hooks": self.hooks,
            "chats": [chat.as_json() for chat in self.chats],
            "open_promises": [promise.as_json() for promise in self.open_promises],
            "project": self.project,
            "questions": [q.text for q in self.questions],
            "history": self.history,
        }


def as_question(text: str) -> str:
    """'how does X?' -> 'How does X?': capitalised, ending in a question mark."""
    clean = " ".join(text.split()).rstrip(" .!")
    if not clean:
        return ""
    clean = clean[0].upper() + clean[1:]
    return clean if clean.endswith("?") else clean + "?"


def _same(text: str) -> str:
    return " ".join(text.casefold().rstrip("?.! ").split())


# Words that change no question's meaning: "How does the team..." asks what "How does your team..." asks.
_SMALL_WORDS = frozenset(["a", "an", "the", "your", "you", "my", "our", "their", "at", "on", "in", "of", "for"])


def _gist(text: str, names: frozenset[str]) -> frozenset[str]:
    return frozenset(word for word in words_of(text) if word not in _SMALL_WORDS and word not in names)


def near_copy(one: str, other: str, *, names: frozenset[str] = frozenset()) -> bool:
    """Whether two questions ask the same thing: their words, but for `names` (their team's and company's) and
    small words, are the same, or those of one (three or more) are all in the other ("What's one product decision
    at Spotify you wish someone had questioned earlier?" and "What's one product decision you wish ...?")."""
    a, b = _gist(one, names), _gist(other, names)
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return small == large or (len(small) >= 3 and small <= large)


def candidate_questions(hooks: list[dict], team: str | None, company: str | None) -> list[Question]:
    """Every question worth suggesting, best first (before dropping asked and flagged ones)."""
    from_hooks = [
        Question(as_question(h["question"]), f"hook: {h['text']}") for h in hooks if (h.get("question") or "").strip()
    ]
    from_hooks += [
        Question(as_question(f"What was the hardest trade-off behind your {h['text']}"), f"hook: {h['text']}")
        for h in hooks
        if not (h.get("question") or "").strip() and (h.get("text") or "").strip()
    ]
    about_team: list[Question] = []
    if team and team.strip():
        team = team.strip()
        about_team = [
            Question(
                f"What's one product decision on {team} you wish someone had questioned earlier?", f"team: {team}"
            ),
            Question(f"How does the {team} team decide what to build next?", f"team: {team}"),
        ]
    elif company and company.strip():
        company = company.strip()
        about_team = [
            Question(f"What's one product decision at {company} you wish someone had questioned earlier?",
                     f"company: {company}"),
        ]  # fmt: skip
    general = [Question(text, "general") for text in GENERAL_QUESTIONS]
    head = from_hooks[:FROM_HOOKS_FIRST]
    return head + about_team[:1] + from_hooks[FROM_HOOKS_FIRST:] + about_team[1:] + general


def suggest_questions(
    hooks: list[dict], team: str | None, company: str | None, *, asked: list[str] = (), count: int = QUESTIONS
) -> list[Question]:
    """Three questions from their hooks and team, none already asked and none a referral ask."""
    from crm.outreach.checks import check_referral_ask

    names = frozenset(words_of(team) + words_of(company))
    done = [text for text in asked if text and _same(text)]
    chosen: list[Question] = []
    for question in candidate_questions(hooks, team, company):
        if not _same(question.text) or check_referral_ask(question.text):
            continue
        if any(near_copy(question.text, earlier, names=names) for earlier in done):
            continue
        done.append(question.text)
        chosen.append(question)
        if len(chosen) == count:
            break
    return chosen


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def prep_brief(conn, contact_id: int, *, today: dt.date) -> Brief:
    """The brief for one contact, from `conn` (a DB-API read connection); CrmError for an unknown id."""
    from crm.contacts.reads import contact_details
    from crm.followups.reads import open_promises
    from crm.outreach.context import read_facts
    from crm.outreach.drafts import choose_project

    details = contact_details(conn, contact_id, today=today)
    facts = read_facts(conn, contact_id)
    chats = [
        Chat(_date(date), notes, takeaways, next_step)
        for date, notes, takeaways, next_step in conn.execute(
            "SELECT date, notes, takeaways, next_step FROM interaction WHERE contact_id = ? AND kind = 'chat'"
            " ORDER BY date, id",
            (contact_id,),
        )
    ]
    promises = [Promise(p.noted_on or today, p.text, p.due, p.id) for p in open_promises(conn, contact_id)]
    asked = [
        row[0]
        for row in conn.execute(
            "SELECT question FROM draft WHERE contact_id = ? AND sent_on IS NOT NULL AND question IS NOT NULL",
            (contact_id,),
        )
    ]
    project = choose_project(facts.projects, facts.contact, facts.hooks, None)
    hooks = details["hooks"]
    return Brief(
        contact={key: details[key] for key in CONTACT_KEYS},
        path=warm_path(conn, contact_id),
        hooks=hooks,
        chats=chats,
        open_promises=promises,
        project=project._asdict() if project else None,
        questions=suggest_questions(hooks, details["team"], details["company"], asked=asked),
        history=facts.relationship._asdict(),
    )
