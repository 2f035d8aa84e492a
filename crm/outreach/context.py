"""What a draft knows about a contact, read in plain SQL from a DB-API connection: drafting never loads the ORM."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from crm.contacts.fields import first_name
from crm.errors import CrmError
from crm.outreach.render import Template, missing

# My profile's fields, as `crm.profile.ME_FIELDS` (which imports the ORM; a test keeps the two equal).
ME_FIELDS = ("name", "school", "year", "major", "target")


# Rows are NamedTuples: typed like dataclasses, and far cheaper to define on the draft's start-up path.
class ContactFacts(NamedTuple):
    id: int
    name: str
    email: str | None
    linkedin_url: str | None
    company: str | None
    team: str | None
    role: str | None
    school: str | None
    program: str | None
    grad_year: int | None
    location: str | None
    source: str | None


class HookFacts(NamedTuple):
    text: str
    url: str | None
    date: dt.date | None


class ProjectFacts(NamedTuple):
    name: str
    description: str | None
    result: str


class ChatFacts(NamedTuple):
    date: dt.date
    notes: str | None
    takeaways: str | None
    next_step: str | None


class IntroFacts(NamedTuple):
    to: str  # whom they introduced me to
    date: dt.date


class DraftFacts(NamedTuple):
    """Everything templates and checks may use about one contact, and about me."""

    contact: ContactFacts
    me: dict[str, str | None]
    hooks: list[HookFacts]  # newest first: the date of the work if known, else when it was added
    projects: list[ProjectFacts]  # oldest first
    last_chat: ChatFacts | None
    last_intro: IntroFacts | None
    introduced: list[str]  # everyone they introduced me to, oldest first


_CONTACT_COLUMNS = ", ".join(ContactFacts._fields)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def read_facts(conn, contact_id: int) -> DraftFacts:
    """One contact's draft facts from `conn` (DB-API, `?` parameters: `store.reader` or `raw_connection`)."""
    row = conn.execute(f"SELECT {_CONTACT_COLUMNS} FROM contact WHERE id = ?", (contact_id,)).fetchone()
    if row is None:
        raise CrmError(f"no contact has id {contact_id}: see `crm contact list`")
    me = conn.execute(f"SELECT {', '.join(ME_FIELDS)} FROM me WHERE id = 1").fetchone() or (None,) * len(ME_FIELDS)
    hooks = conn.execute(
        "SELECT text, url, date FROM hook WHERE contact_id = ? ORDER BY date DESC NULLS LAST, id DESC", (contact_id,)
    ).fetchall()
    projects = conn.execute("SELECT name, description, result FROM project ORDER BY id").fetchall()
    chat = conn.execute(
        "SELECT date, notes, takeaways, next_step FROM interaction WHERE contact_id = ? AND kind = 'chat'"
        " ORDER BY date DESC, id DESC LIMIT 1",
        (contact_id,),
    ).fetchone()
    intros = conn.execute(
        "SELECT c.name, i.date FROM interaction i JOIN contact c ON c.id = i.intro_to_id"
        " WHERE i.contact_id = ? AND i.kind = 'intro' ORDER BY i.date, i.id",
        (contact_id,),
    ).fetchall()
    return DraftFacts(
        contact=ContactFacts._make(row),
        me=dict(zip(ME_FIELDS, me, strict=True)),
        hooks=[HookFacts(text, url, _date(date)) for text, url, date in hooks],
        projects=[ProjectFacts._make(project) for project in projects],
        last_chat=ChatFacts(_date(chat[0]), *chat[1:]) if chat else None,
        last_intro=IntroFacts(intros[-1][0], _date(intros[-1][1])) if intros else None,
        introduced=[name for name, _ in intros],
    )


# --------------------------------------------------------------------------- the template's context
def _with_hints(values: dict, hint_for) -> dict:
    """Replace empty values by `missing(...)` so a template using one fails with how to add it."""
    return {key: (value if value not in (None, "") else missing(hint_for(key))) for key, value in values.items()}


def _flag(key: str) -> str:
    return key.replace("_", "-")


def template_context(
    facts: DraftFacts, *, template: Template, project: ProjectFacts | None, question: str | None
) -> dict:
    """The names a template sees (SPEC "Templates"); a missing one fails with what to add, never a blank."""
    contact = facts.contact
    who, ref = contact.name, contact.id
    me_ctx = _with_hints(facts.me, lambda key: f"your profile has no {key}: set it with `crm me --{key} ...`")
    contact_fields = {**contact._asdict(), "first_name": first_name(contact.name)}
    del contact_fields["id"]
    contact_ctx = _with_hints(
        contact_fields,
        lambda key: f"{who} has no {key.replace('_', ' ')}: add it with `crm contact edit {ref} --{_flag(key)} ...`",
    )
    if facts.hooks:
        hook = facts.hooks[0]
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
    chat = facts.last_chat
    if chat is not None:
        chat_ctx = _with_hints(
            {"date": chat.date, "notes": chat.notes, "takeaways": chat.takeaways, "next_step": chat.next_step},
            lambda key: (
                f"your chat with {who} on {chat.date} has no {key.replace('_', ' ')}: "
                f"log it with `crm log {ref} --kind chat --{_flag(key)} ...`"
            ),
        )
    else:
        chat_ctx = missing(f"no chat with {who} is logged yet: log one with `crm log {ref} --kind chat`")
    intro = facts.last_intro
    if intro is not None:
        intro_ctx = {"to": intro.to, "to_first_name": first_name(intro.to), "date": intro.date}
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


# --------------------------------------------------------------------------- what the checks need
def check_inputs(facts: DraftFacts) -> dict:
    """What the checks need to know about this contact: what counts as theirs, and what we share.

    Computed once per draft, so re-checking as the text changes is a pure, fast call.
    """
    shared = [t for t in (facts.me["school"], facts.contact.school) if t]
    return {"personal_terms": personal_terms(facts), "shared_terms": shared}


def personal_terms(facts: DraftFacts) -> list[str]:
    """What counts as citing something of theirs: their hooks, team, what they shared, whom they introduced."""
    terms = [h.text for h in facts.hooks]
    if facts.contact.team:
        terms.append(facts.contact.team)
    if facts.last_chat is not None:
        terms += [t for t in (facts.last_chat.takeaways, facts.last_chat.notes) if t]
    return terms + facts.introduced
