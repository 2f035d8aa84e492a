"""Drafting a message for a contact: plain-SQL reads, the project to cite, render and check; the ORM only to send."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

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

    def as_json(self) -> dict:
        return {
            "contact_id": self.contact.id,
            "template": self.template.name,
            "text": self.text,
            "check": self.check.as_json(),
        }


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


def save_draft(session: Session, result: DraftResult, *, sent_on: dt.date | None = None) -> Draft:
    """Store the draft with the question it asks (a nudge repeats the question actually sent)."""
    from crm.models import Draft

    draft = Draft(
        contact_id=result.contact.id,
        template=result.template.name,
        text=result.text,
        words=result.check.words,
        checks=json.dumps(result.check.as_json()),
        question=asked_question(result),
        sent_on=sent_on,
    )
    session.add(draft)
    session.flush()
    return draft


def send_draft(session: Session, result: DraftResult, *, today: dt.date) -> Contact:
    """Store the draft as sent and log it as a `message`, which schedules the nudge; returns the contact, rescheduled.

    All in the caller's write transaction.
    """
    from crm.contacts.interactions import log_interaction
    from crm.models import Contact

    if not result.check.ok:
        raise CrmError("not sent: the draft fails its checks")
    contact = session.get(Contact, result.contact.id)
    if contact is None:
        raise CrmError(f"not sent: contact #{result.contact.id} no longer exists")
    draft = save_draft(session, result, sent_on=today)
    interaction = log_interaction(
        session=session, contact=contact, kind="message", date=today, today=today, notes=result.text
    )
    draft.interaction_id = interaction.id
    session.add(draft)
    session.flush()
    return contact
