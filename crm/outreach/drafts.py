"""Drafting a message for a contact: the template context, the project to cite, the checks, sending."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from crm.contacts.fields import first_name
from crm.errors import CrmError
from crm.models import Contact, Draft, Hook, Interaction, Project
from crm.outreach.checks import CheckResult, check_message
from crm.outreach.render import Template, load_template, missing, render
from crm.profile import ME_FIELDS, get_me

_WORD = re.compile(r"[^\W_]{4,}")
_STOP = {"with", "from", "that", "this", "your", "their", "about", "into", "post", "talk", "team", "what", "when"}


@dataclass(frozen=True)
class DraftResult:
    contact: Contact
    template: Template
    text: str
    check: CheckResult
    project: Project | None
    check_inputs: dict  # what re-checking an edited text needs (see check_inputs)

    def as_json(self) -> dict:
        return {
            "contact_id": self.contact.id,
            "template": self.template.name,
            "text": self.text,
            "check": self.check.as_json(),
        }


def _words(text: str | None) -> set[str]:
    return {w.lower() for w in _WORD.findall(text or "")} - _STOP


def choose_project(projects: list[Project], contact: Contact, hooks: list[Hook], wanted: str | None) -> Project | None:
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


def _last_chat(session: Session, contact: Contact) -> Interaction | None:
    return session.scalar(
        select(Interaction)
        .where(Interaction.contact_id == contact.id, Interaction.kind == "chat")
        .order_by(Interaction.date.desc(), Interaction.id.desc())
        .limit(1)
    )


def _with_hints(values: dict, hint_for) -> dict:
    """Replace empty values by `missing(...)` so a template using one fails with how to add it."""
    return {key: (value if value not in (None, "") else missing(hint_for(key))) for key, value in values.items()}


def build_context(
    session: Session,
    contact: Contact,
    *,
    template: Template,
    project: Project | None,
    question: str | None,
    hooks: list[Hook],
) -> dict:
    me = get_me(session)
    who = contact.name
    ref = contact.id
    me_ctx = _with_hints(
        {key: getattr(me, key) for key in ME_FIELDS},
        lambda key: f"your profile has no {key}: set it with `crm me --{key} ...`",
    )
    contact_fields = {
        "name": contact.name,
        "first_name": first_name(contact.name),
        "email": contact.email,
        "linkedin_url": contact.linkedin_url,
        "company": contact.company,
        "team": contact.team,
        "role": contact.role,
        "school": contact.school,
        "program": contact.program,
        "grad_year": contact.grad_year,
        "location": contact.location,
        "source": contact.source,
    }
    contact_ctx = _with_hints(
        contact_fields,
        lambda key: (
            f"{who} has no {key.replace('_', ' ')}: add it with `crm contact edit {ref} --{key.replace('_', '-')} ...`"
        ),
    )
    if hooks:
        hook = hooks[0]
        hook_ctx = _with_hints(
            {"text": hook.text, "url": hook.url, "date": hook.date},
            lambda key: f"{who}'s newest hook has no {key}: add a hook with `crm hook add {ref} TEXT --{key} ...`",
        )
    else:
        hook_ctx = missing(f'{who} has no research hook: add one with `crm hook add {ref} "their post or talk"`')
    if project is not None:
        project_ctx = _with_hints(
            {"name": project.name, "description": project.description, "result": project.result},
            lambda key: f"project {project.name!r} has no {key}",
        )
    else:
        project_ctx = missing(
            "you have no projects yet: add one with `crm project add NAME --result 'what it achieved'`"
        )
    chat = _last_chat(session, contact)
    if chat is not None:
        chat_ctx = _with_hints(
            {"date": chat.date, "notes": chat.notes, "takeaways": chat.takeaways, "next_step": chat.next_step},
            lambda key: (
                f"your chat with {who} on {chat.date} has no {key.replace('_', ' ')}: "
                f"log it with `crm log {ref} --kind chat --{key.replace('_', '-')} ...`"
            ),
        )
    else:
        chat_ctx = missing(f"no chat with {who} is logged yet: log one with `crm log {ref} --kind chat`")
    intro = session.execute(
        select(Interaction.date, Contact.name)
        .join(Contact, Contact.id == Interaction.intro_to_id)
        .where(Interaction.contact_id == contact.id, Interaction.kind == "intro")
        .order_by(Interaction.date.desc(), Interaction.id.desc())
        .limit(1)
    ).first()
    if intro is not None:
        intro_ctx = {"to": intro.name, "to_first_name": first_name(intro.name), "date": intro.date}
    else:
        intro_ctx = missing(
            f"{who} has not introduced you to anyone: log it with `crm log {ref} --kind intro --intro-to NAME`"
        )
    chosen_question = (question or "").strip() or template.question
    return {
        "me": me_ctx,
        "contact": contact_ctx,
        "hook": hook_ctx,
        "project": project_ctx,
        "question": chosen_question
        or missing(f"template {template.name} has no default question: pass one with --question"),
        "last_chat": chat_ctx,
        "last_intro": intro_ctx,
    }


def personal_terms(
    contact: Contact, hooks: list[Hook], last_chat: Interaction | None = None, introduced: list[str] = ()
) -> list[str]:
    """What counts as citing something of theirs: their hooks, team, what they shared, whom they introduced."""
    terms = [h.text for h in hooks]
    if contact.team:
        terms.append(contact.team)
    if last_chat is not None:
        terms += [t for t in (last_chat.takeaways, last_chat.notes) if t]
    return terms + list(introduced)


def hooks_of(session: Session, contact: Contact) -> list[Hook]:
    """Newest first: the date of the work if known, else when it was added."""
    return list(
        session.scalars(
            select(Hook).where(Hook.contact_id == contact.id).order_by(Hook.date.desc().nulls_last(), Hook.id.desc())
        )
    )


def draft_message(
    session: Session,
    contact: Contact,
    *,
    template_name: str = "first-message",
    project_name: str | None = None,
    question: str | None = None,
) -> DraftResult:
    template = load_template(template_name)
    hooks = hooks_of(session, contact)
    projects = list(session.scalars(select(Project).order_by(Project.id)))
    project = choose_project(projects, contact, hooks, project_name)
    context = build_context(session, contact, template=template, project=project, question=question, hooks=hooks)
    text = render(template, context)
    inputs = check_inputs(session, contact, hooks)
    check = check_message(text, max_words=template.max_words, **inputs)
    return DraftResult(contact, template, text, check, project, inputs)


def check_inputs(session: Session, contact: Contact, hooks: list[Hook] | None = None) -> dict:
    """What the checks need to know about this contact: what counts as theirs, and what we share.

    Computed once per draft, so re-checking as the text changes is a pure, fast call.
    """
    hooks = hooks_of(session, contact) if hooks is None else hooks
    chat = _last_chat(session, contact)
    introduced = list(
        session.scalars(
            select(Contact.name)
            .join(Interaction, Interaction.intro_to_id == Contact.id)
            .where(Interaction.contact_id == contact.id, Interaction.kind == "intro")
        )
    )
    me = get_me(session)
    return {
        "personal_terms": personal_terms(contact, hooks, chat, introduced),
        "shared_terms": [t for t in (me.school, contact.school) if t],
    }


def check_draft(session: Session, contact: Contact, text: str, max_words: int) -> CheckResult:
    return check_message(text, max_words=max_words, **check_inputs(session, contact))


def save_draft(session: Session, result: DraftResult, *, sent_on: dt.date | None = None) -> Draft:
    draft = Draft(
        contact_id=result.contact.id,
        template=result.template.name,
        text=result.text,
        words=result.check.words,
        checks=json.dumps(result.check.as_json()),
        sent_on=sent_on,
    )
    session.add(draft)
    session.flush()
    return draft


def send_draft(session: Session, result: DraftResult, *, today: dt.date) -> Draft:
    """Store the draft as sent and log it as a `message`, which schedules the nudge."""
    from crm.contacts.interactions import log_interaction

    if not result.check.ok:
        raise CrmError("not sent: the draft fails its checks")
    draft = save_draft(session, result, sent_on=today)
    interaction = log_interaction(
        session=session, contact=result.contact, kind="message", date=today, today=today, notes=result.text
    )
    draft.interaction_id = interaction.id
    session.add(draft)
    session.flush()
    return draft
