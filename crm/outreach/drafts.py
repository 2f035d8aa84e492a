"""Drafting a message for a contact: plain-SQL reads, the project to cite, render and check; the ORM only to send."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from crm.errors import CrmError
from crm.outreach.checks import CheckResult, check_message
from crm.outreach.context import (
    ContactFacts,
    HookFacts,
    ProjectFacts,
    check_inputs,
    read_facts,
    template_context,
)
from crm.outreach.render import Template, load_template, render
from crm.outreach.text import sentence_spans

if TYPE_CHECKING:  # sending writes through the ORM; drafting never imports it
    from sqlmodel import Session

    from crm.models import Contact, Draft

_WORD = re.compile(r"[^\W_]{4,}")
_STOP = {"with", "from", "that", "this", "your", "their", "about", "into", "post", "talk", "team", "what", "when"}


@dataclass(frozen=True)
class DraftResult:
    contact: ContactFacts  # anything with the contact's `id` and `name`
    template: Template
    text: str
    check: CheckResult
    project: ProjectFacts | None
    check_inputs: dict  # what re-checking an edited text needs (see crm.outreach.context.check_inputs)
    question: str | None = None  # the question the template was given; the text may have been edited since
    gaps: tuple[Gap, ...] = ()  # what the template needed and is missing (draft_with_gaps); the text has "[...]"
    placeholders: frozenset[str] = frozenset()  # the "[your school]" stand-ins written for the gaps

    def as_json(self) -> dict:
        return {
            "contact_id": self.contact.id,
            "template": self.template.name,
            "text": self.text,
            "check": self.check.as_json(),
        }


class Gap(NamedTuple):
    """One thing a template needs that is not on record, e.g. ("me", "school") or ("hook", None).

    `area` is the template name it hangs off (me, contact, hook, project, last_chat, sent, question...), so a front
    end can offer the right way to fill it in; `hint` is the renderer's sentence, which names the CLI command.
    """

    area: str
    field: str | None
    hint: str

    @property
    def what(self) -> str:
        """The hint without its how-to: "your profile has no school"."""
        return self.hint.split(": ", 1)[0]

    def label(self, attribute: str | None = None) -> str:
        """What stands in the text where the value would be ("your school"); `attribute` is the part of a missing
        whole that the template asked for (`project.result` of no project: "your project's result")."""
        field = (self.field or attribute or "").replace("_", " ")
        owner = {
            "me": "your",
            "contact": "their",
            "hook": "their post's",
            "project": "your project's",
            "last_chat": "the chat's",
            "last_reply": "their reply's",
            "last_referral": "the referral's",
            "last_intro": "the intro's",
            "sent": "your message's",
        }.get(self.area)
        if self.area == "hook" and field in ("", "text"):
            return "their post or talk"
        if self.area == "project" and field in ("", "name"):
            return "your project"
        if self.area == "question":
            return "your question"
        if self.area == "last_intro" and field.startswith("to"):
            return "whom they introduced you to"
        if owner is None:
            return f"{self.area.replace('_', ' ')} {field}".strip()
        return f"{owner} {field}" if field else owner.removesuffix("'s")


def _words(text: str | None) -> set[str]:
    return {w.lower() for w in _WORD.findall(text or "")} - _STOP


def choose_project(
    projects: list[ProjectFacts], contact: ContactFacts, hooks: list[HookFacts], wanted: str | None
) -> ProjectFacts | None:
    """--project by name; else the project sharing most words with their team and hooks; else the first."""
    if wanted is not None:
        needle = wanted.strip().lower()
        exact = [p for p in projects if p.name.lower() == needle]
        partial = [p for p in projects if needle and needle in p.name.lower()]
        found = exact or partial
        if len(found) == 1:
            return found[0]
        names = ", ".join(p.name for p in (found or projects)) or "none yet (crm project add)"
        verb = "matches several projects" if found else "is not one of your projects"
        raise CrmError(f"{wanted!r} {verb}: choose one of {names}")
    if not projects:
        return None
    theirs = _words(contact.team) | set().union(*(_words(h.text) for h in hooks)) if hooks else _words(contact.team)
    scored = [(len(theirs & _words(f"{p.name} {p.description} {p.result}")), -i, p) for i, p in enumerate(projects)]
    best = max(scored, key=lambda s: (s[0], s[1]))
    return best[2]


def draft_message(
    conn,
    contact_id: int,
    *,
    template_name: str = "first-message",
    project_name: str | None = None,
    question: str | None = None,
    today: dt.date | None = None,
) -> DraftResult:
    """Render `template_name` for the contact and check it; `conn` is a DB-API read connection (`store.reader`).

    The checks know the relationship (a referral ask after two chats is advice, not a failure) and how many
    questions the template should ask; `today` (default: crm.dates.today) dates the slots a reply proposes.
    """
    facts = read_facts(conn, contact_id)
    template = load_template(template_name)
    project = choose_project(facts.projects, facts.contact, facts.hooks, project_name)
    context = template_context(facts, template=template, project=project, question=question, today=today)
    text = render(template, context)
    inputs = {**check_inputs(facts), "questions": template.questions}
    check = check_message(text, max_words=template.max_words, **inputs)
    asked = context["question"] if isinstance(context["question"], str) else None
    return DraftResult(facts.contact, template, text, check, project, inputs, asked)


def draft_with_gaps(
    conn,
    contact_id: int,
    *,
    template_name: str = "first-message",
    project_name: str | None = None,
    today: dt.date | None = None,
) -> DraftResult:
    """As draft_message, but what is missing does not stop the render: each gap is listed (all at once, in the
    order the template uses them) and stands in the text as "[your school]", which the placeholder check flags.

    The app's draft screen shows every gap with a way to fill it in, instead of one error per attempt.
    """
    facts = read_facts(conn, contact_id)
    template = load_template(template_name)
    project = choose_project(facts.projects, facts.contact, facts.hooks, project_name)
    context = template_context(facts, template=template, project=project, question=None, today=today)
    found: dict[Gap, None] = {}
    printed: set[str] = set()
    text = render(template, _recording_gaps(context, found, printed))
    inputs = {**check_inputs(facts), "questions": template.questions}
    check = check_message(text, max_words=template.max_words, **inputs)
    asked = context["question"] if isinstance(context["question"], str) else None
    return DraftResult(facts.contact, template, text, check, project, inputs, asked, tuple(found), frozenset(printed))


def _recording_gaps(context: dict, found: dict[Gap, None], printed: set[str]) -> dict:
    """The context with each missing value (crm.outreach.render.missing) replaced by one that, when the template
    prints it, records its Gap in `found` (and what it printed in `printed`) and prints "[label]" instead of
    failing."""
    from jinja2 import ChainableUndefined, StrictUndefined

    class Recording(ChainableUndefined):
        __slots__ = ("_gap", "_attribute")

        def __init__(self, gap: Gap, attribute: str | None = None) -> None:
            super().__init__(hint=gap.hint)
            self._gap = gap
            self._attribute = attribute

        def __str__(self) -> str:
            found.setdefault(self._gap, None)
            shown = f"[{self._gap.label(self._attribute)}]"
            printed.add(shown)
            return shown

        # Whatever a strict undefined fails on (a filter's `value or ""`, a test, a loop) records the gap too;
        # true, so a filter goes on to print the placeholder rather than nothing.
        def __bool__(self) -> bool:
            found.setdefault(self._gap, None)
            return True

        def __iter__(self):
            found.setdefault(self._gap, None)
            return iter(())

        def __len__(self) -> int:
            found.setdefault(self._gap, None)
            return 0

        def __eq__(self, other: object) -> bool:
            found.setdefault(self._gap, None)
            return other is self

        def __hash__(self) -> int:
            return id(self)

        def __getattr__(self, name: str):
            if name.startswith("__") or name in ("_gap", "_attribute"):
                raise AttributeError(name)
            return Recording(self._gap, self._attribute or name)

        __getitem__ = __getattr__

    def recording(area: str, field: str | None, value):
        if isinstance(value, StrictUndefined):
            return Recording(Gap(area, field, value._undefined_hint or f"no {field or area}"))
        return value

    out: dict = {}
    for area, value in context.items():
        if isinstance(value, dict):
            out[area] = {field: recording(area, field, inner) for field, inner in value.items()}
        else:
            out[area] = recording(area, None, value)
    return out


_TOKEN = re.compile(r"\[[^\[\]\n]*\]|\s+|[^\s\[]+|\[")


class Refill(NamedTuple):
    """What filling in placeholders does to an edited text (fill_placeholders)."""

    edits: tuple[tuple[int, int, str], ...]  # (start, end, new text) in the edited text, in order, not overlapping
    unplaced: frozenset[str]  # filled placeholders still in the edited text that could not be filled in it


def fill_placeholders(edited: str, before: str, after: str, filled: frozenset[str] | set[str]) -> Refill:
    """Carry a re-render into a text the user has edited: each placeholder of `filled` (in the render `before`,
    gone from the render `after`) is replaced in `edited` by what stands in its place in `after`; the rest of the
    user's text is left as they wrote it. A placeholder they deleted stays deleted. One whose value cannot be told
    (the words around it changed too) is replaced together with those words when they are still in `edited`
    exactly as rendered; otherwise it is left, and listed in `unplaced`.
    """
    from difflib import SequenceMatcher

    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    values: dict[str, set[str | None]] = {}
    hunks: dict[str, set[tuple[str, str]]] = {}
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        gone = [token for token in old[i1:i2] if token in filled]
        if not gone:
            continue
        old_part, new_part = "".join(old[i1:i2]), "".join(new[j1:j2])
        for placeholder in gone:
            hunks.setdefault(placeholder, set()).add((old_part, new_part))
            values.setdefault(placeholder, set()).add(
                _value_in(old_part, new_part, placeholder) if len(gone) == 1 else None
            )
    spans: list[tuple[int, int, str]] = []
    unplaced: set[str] = set()
    taken: list[tuple[int, int]] = []

    def place(needle: str, replacement: str) -> None:
        start = edited.find(needle)
        while start != -1:
            end = start + len(needle)
            if not any(start < b and a < end for a, b in taken):
                spans.append((start, end, replacement))
                taken.append((start, end))
            start = edited.find(needle, end)

    for placeholder in sorted(filled, key=len, reverse=True):
        if placeholder not in edited:
            continue  # deleted or typed over: their words win
        value = values.get(placeholder, {None})
        if len(value) == 1 and None not in value:
            place(placeholder, next(iter(value)))
        else:
            for old_part, new_part in sorted(hunks.get(placeholder, ())):
                place(old_part, new_part)
        unplaced |= _outside(edited, taken, placeholder)
    return Refill(tuple(sorted(spans)), frozenset(unplaced))


def _value_in(old_part: str, new_part: str, placeholder: str) -> str | None:
    """What replaced `placeholder` when `old_part` (holding it once) became `new_part`: the text between the words
    before and after it, if those are unchanged; else None."""
    head, tail = old_part.split(placeholder, 1)
    if len(new_part) >= len(head) + len(tail) and new_part.startswith(head) and new_part.endswith(tail):
        return new_part[len(head) : len(new_part) - len(tail)]
    return None


def _outside(edited: str, taken: list[tuple[int, int]], placeholder: str) -> set[str]:
    """{placeholder} when some occurrence of it in `edited` is outside every span being replaced."""
    start = edited.find(placeholder)
    while start != -1:
        end = start + len(placeholder)
        if not any(a <= start and end <= b for a, b in taken):
            return {placeholder}
        start = edited.find(placeholder, end)
    return set()


def apply_refill(edited: str, refill: Refill) -> str:
    """`edited` with the refill's edits made."""
    out, at = [], 0
    for start, end, replacement in refill.edits:
        out += [edited[at:start], replacement]
        at = end
    return "".join(out) + edited[at:]


def check_draft(conn, contact_id: int, text: str, max_words: int) -> CheckResult:
    """Check any text as a message to this contact (the personal check cites their hooks, team, chats)."""
    return check_message(text, max_words=max_words, **check_inputs(read_facts(conn, contact_id)))


def asked_question(result: DraftResult) -> str | None:
    """The question the text actually asks: the template's, unless an edit changed it; then the text's own.

    Templates put the question after a colon ("...your take on one thing: how does the team decide?"),
    so of an edited question sentence only what follows its last ": " is kept.
    """
    if result.question and result.question in result.text:
        return result.question
    for start, end in sentence_spans(result.text):
        sentence = result.text[start:end].strip()
        if sentence.rstrip(" \"')]’”").endswith("?"):
            return sentence.rsplit(": ", 1)[-1].strip() or None
    return None


class SavedDraft(NamedTuple):
    """A stored draft, as `saved_drafts` reads it."""

    id: int
    template: str
    text: str
    words: int
    saved_at: dt.datetime  # when it was last saved, in UTC (re-saving an edit moves it to the top)
    sent_on: dt.date | None

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "template": self.template,
            "text": self.text,
            "words": self.words,
            "saved_at": self.saved_at.isoformat(timespec="seconds"),
            "sent_on": self.sent_on.isoformat() if self.sent_on else None,
        }


def saved_drafts(conn, contact_id: int, *, unsent_only: bool = True) -> list[SavedDraft]:
    """The contact's stored drafts, newest first; by default only those not yet marked sent (the ones to resume)."""
    sql = "SELECT id, template, text, words, created_at, sent_on FROM draft WHERE contact_id = ?"
    if unsent_only:
        sql += " AND sent_on IS NULL"
    rows = conn.execute(sql + " ORDER BY created_at DESC, id DESC", (contact_id,)).fetchall()
    return [
        SavedDraft(id_, template, text, words, _utc(saved), dt.date.fromisoformat(sent) if sent else None)
        for id_, template, text, words, saved, sent in rows
    ]


def _utc(stored: str) -> dt.datetime:
    """A stored timestamp (UTC, written without its zone) as an aware datetime."""
    moment = dt.datetime.fromisoformat(stored)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def save_draft(
    session: Session, result: DraftResult, *, sent_on: dt.date | None = None, draft_id: int | None = None
) -> Draft:
    """Store the draft with the question it asks (a nudge repeats the question actually sent).

    Given the `draft_id` of a stored, unsent draft of the same contact, that row is updated (saving an edit again,
    or marking a saved draft sent) instead of a new one piling up; a draft already sent is never rewritten.
    """
    from crm.models import Draft

    draft = session.get(Draft, draft_id) if draft_id is not None else None
    if draft is not None and (draft.contact_id != result.contact.id or draft.sent_on is not None):
        raise CrmError(f"draft #{draft_id} was already marked sent on {draft.sent_on}: it is kept as sent")
    if draft is None:
        draft = Draft(contact_id=result.contact.id, template="", text="", words=0, checks="")
    draft.template = result.template.name
    draft.text = result.text
    draft.words = result.check.words
    draft.checks = json.dumps(result.check.as_json())
    draft.question = asked_question(result)
    draft.sent_on = sent_on
    draft.created_at = dt.datetime.now(dt.UTC)
    session.add(draft)
    session.flush()
    return draft


def first_message_refusal(conn, contact_id: int, template: Template) -> str | None:
    """Why a first message must not go to this contact (they have been written to, or have written or met with me),
    naming the template that fits now; None when a first message is what fits."""
    from crm.followups.reads import fitting_template

    if (template.kind or template.name) != "first-message":
        return None
    row = conn.execute(
        "SELECT c.name, count(i.id) FROM contact c LEFT JOIN interaction i ON i.contact_id = c.id AND i.kind != 'note'"
        " WHERE c.id = ? GROUP BY c.id, c.name",
        (contact_id,),
    ).fetchone()
    if row is None or not row[1]:
        return None
    fitting = fitting_template(conn, contact_id)
    if fitting == "first-message":
        return None
    return (
        f"not sent: you are already in touch with {row[0]} ({row[1]} interaction{'s' if row[1] != 1 else ''} logged), "
        "so a first message would start over; "
        f"the template that fits now is {fitting}"
    )


def send_draft(session: Session, result: DraftResult, *, today: dt.date, draft_id: int | None = None) -> Contact:
    """Store the draft as sent and log it as a `message`, which schedules the nudge; returns the contact, rescheduled.

    A saved draft (`draft_id`) is the row marked sent. All in the caller's write transaction.
    """
    from crm.contacts.interactions import log_interaction
    from crm.models import Contact
    from crm.store.db import raw_connection

    if not result.check.ok:
        raise CrmError("not sent: the draft fails its checks")
    contact = session.get(Contact, result.contact.id)
    if contact is None:
        raise CrmError(f"not sent: contact #{result.contact.id} no longer exists")
    refusal = first_message_refusal(raw_connection(session), contact.id, result.template)
    if refusal is not None:
        raise CrmError(refusal)
    draft = save_draft(session, result, sent_on=today, draft_id=draft_id)
    interaction = log_interaction(
        session=session, contact=contact, kind="message", date=today, today=today, notes=result.text
    )
    draft.interaction_id = interaction.id
    session.add(draft)
    session.flush()
    return contact


# What each kind of template is called once sent ("Logged your nudge").
_SENT_AS = {
    "first-message": "first message",
    "nudge": "nudge",
    "reply": "reply",
    "thank-you": "thank-you",
    "referral-thanks": "thank-you for the referral",
    "intro-thanks": "thank-you for the intro",
    "keep-in-touch": "note",
}


def sent_summary(contact: Contact, template: Template, *, today: dt.date) -> str:
    """What marking a draft sent did, from what the domain actually scheduled next: the app's toast says this."""
    from crm.contacts.fields import first_name
    from crm.dates import weekday_date

    what = _SENT_AS.get(template.kind or template.name, "message")
    head = f"Logged your {what} to {contact.name}"
    due, key = contact.next_follow_up, contact.next_follow_up_key or ""
    if due is None:
        if (template.kind or template.name) == "nudge":
            return f"{head}; nothing more will be scheduled: one nudge only."
        return f"{head}; nothing more is scheduled."
    when = weekday_date(due, today=today)
    if key.startswith("nudge-"):
        return f"{head}; if {first_name(contact.name)} has not replied, a nudge is due {when}."
    if key.startswith("keep-"):
        return f"{head}; next, keep in touch {when}."
    return f"{head}; next: {contact.next_follow_up_reason} ({when})."
