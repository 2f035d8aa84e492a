"""What a draft knows about a contact, read in plain SQL from a DB-API connection: drafting never loads the ORM."""

# No `from __future__ import annotations` here: NamedTuple would turn each field's string annotation into a
# ForwardRef, compiling it, on `crm draft`'s start-up path (about half a millisecond for these rows).
import datetime as dt
import re
from typing import NamedTuple

from crm import dates
from crm.contacts.fields import first_name
from crm.contacts.reads import HOOK_ORDER
from crm.errors import CrmError
from crm.outreach.checks import Relationship
from crm.outreach.phrasing import kept
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
    question: str | None = None  # the question this hook inspires (`crm hook add --question`)


class ProjectFacts(NamedTuple):
    name: str
    description: str | None
    result: str


class ChatFacts(NamedTuple):
    date: dt.date
    notes: str | None
    takeaways: str | None
    next_step: str | None
    # The next step's promise (its text, without the date) once I marked it kept; None while open, or undated.
    kept_step: str | None = None


class IntroFacts(NamedTuple):
    to: str  # whom they introduced me to
    date: dt.date


class ReplyFacts(NamedTuple):
    date: dt.date
    notes: str | None


class ReferralFacts(NamedTuple):
    date: dt.date
    notes: str | None
    next_step: str | None


class SentFacts(NamedTuple):
    """My newest message to them, and the question it asked when crm drafted it (else None)."""

    date: dt.date
    question: str | None


class DraftFacts(NamedTuple):
    """Everything templates and checks may use about one contact, and about me."""

    contact: ContactFacts
    me: dict[str, str | None]
    hooks: list[HookFacts]  # newest first: the date of the work if known, else when it was added
    projects: list[ProjectFacts]  # oldest first
    last_chat: ChatFacts | None
    last_intro: IntroFacts | None
    introduced: list[str]  # everyone they introduced me to, oldest first
    relationship: Relationship = Relationship()  # how many chats, intros, messages... (the checks weigh it)
    last_reply: ReplyFacts | None = None
    last_referral: ReferralFacts | None = None
    sent: SentFacts | None = None
    introduced_by: str | None = None  # who introduced them to me


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
        f"SELECT text, url, date, question FROM hook WHERE contact_id = ? ORDER BY {HOOK_ORDER}",
        (contact_id,),
    ).fetchall()
    projects = conn.execute("SELECT name, description, result FROM project ORDER BY id").fetchall()
    chat = conn.execute(
        "SELECT date, notes, takeaways, next_step, id FROM interaction WHERE contact_id = ? AND kind = 'chat'"
        " ORDER BY date DESC, id DESC LIMIT 1",
        (contact_id,),
    ).fetchone()
    kept_step = None
    if chat is not None and chat[3]:
        step_promise = conn.execute(
            "SELECT text, done_on FROM promise WHERE interaction_id = ? AND from_next_step ORDER BY id LIMIT 1",
            (chat[4],),
        ).fetchone()
        kept_step = step_promise[0] if step_promise is not None and step_promise[1] is not None else None
    intros = conn.execute(
        "SELECT c.name, i.date FROM interaction i JOIN contact c ON c.id = i.intro_to_id"
        " WHERE i.contact_id = ? AND i.kind = 'intro' ORDER BY i.date, i.id",
        (contact_id,),
    ).fetchall()
    counts = dict(
        conn.execute("SELECT kind, count(*) FROM interaction WHERE contact_id = ? GROUP BY kind", (contact_id,))
    )
    newest: dict[str, tuple] = {}
    for kind, date, notes, next_step in conn.execute(
        "SELECT kind, date, notes, next_step FROM interaction WHERE contact_id = ? AND kind IN ('reply', 'referral')"
        " ORDER BY date DESC, id DESC",
        (contact_id,),
    ):
        newest.setdefault(kind, (_date(date), notes, next_step))
    sent = conn.execute(
        "SELECT i.date, d.question FROM interaction i LEFT JOIN draft d ON d.interaction_id = i.id"
        " WHERE i.contact_id = ? AND i.kind = 'message' ORDER BY i.date DESC, i.id DESC, d.id DESC LIMIT 1",
        (contact_id,),
    ).fetchone()
    introducer = conn.execute(
        "SELECT b.name FROM contact c JOIN contact b ON b.id = c.introduced_by_id WHERE c.id = ?", (contact_id,)
    ).fetchone()
    reply, referral = newest.get("reply"), newest.get("referral")
    return DraftFacts(
        contact=ContactFacts._make(row),
        me=dict(zip(ME_FIELDS, me, strict=True)),
        hooks=[HookFacts(text, url, _date(date), question) for text, url, date, question in hooks],
        projects=[ProjectFacts._make(project) for project in projects],
        last_chat=ChatFacts(_date(chat[0]), *chat[1:4], kept_step) if chat else None,
        last_intro=IntroFacts(intros[-1][0], _date(intros[-1][1])) if intros else None,
        introduced=[name for name, _ in intros],
        relationship=Relationship(
            chats=counts.get("chat", 0),
            intros=counts.get("intro", 0),
            messages=counts.get("message", 0),
            replies=counts.get("reply", 0),
            referrals=counts.get("referral", 0),
        ),
        last_reply=ReplyFacts(reply[0], reply[1]) if reply else None,
        last_referral=ReferralFacts(*referral) if referral else None,
        sent=SentFacts(_date(sent[0]), sent[1]) if sent else None,
        introduced_by=introducer[0] if introducer else None,
    )


# --------------------------------------------------------------------------- what we share
_COURSE = re.compile(r"\bcourse\s+(\d+[a-z]?)(?:-(\d+[a-z]?))?", re.I)


def _plain(text: str | None) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text or "").lower().split())


def _courses(text: str | None) -> list[tuple[str, str | None]]:
    return [(m.group(1).upper(), m.group(2) and m.group(2).upper()) for m in _COURSE.finditer(text or "")]


def shared_program(mine: str | None, theirs: str | None) -> str | None:
    """The program we share: the same MIT course ("Course 6-3"), or department ("Course 6"), or the same name."""
    my_courses, their_courses = _courses(mine), _courses(theirs)
    if my_courses and their_courses:
        for dept, sub in my_courses:
            if sub and (dept, sub) in their_courses:
                return f"Course {dept}-{sub}"
        for dept, _ in my_courses:
            if any(dept == their_dept for their_dept, _ in their_courses):
                return f"Course {dept}"
        return None
    if _plain(mine) and _plain(mine) == _plain(theirs):
        return (theirs or "").strip()
    return None


def shared_background(facts: DraftFacts) -> tuple[str | None, str | None]:
    """(school, program) that I share with the contact; either may be None."""
    mine, theirs = facts.me.get("school"), facts.contact.school
    school = mine.strip() if mine and _plain(mine) and _plain(mine) == _plain(theirs) else None
    return school, shared_program(facts.me.get("major"), facts.contact.program)


# --------------------------------------------------------------------------- when to meet
SLOT_TIMES = ("10:00", "14:00")


def upcoming_slots(today: dt.date, *, lead_business_days: int = 2) -> list[str]:
    """Two concrete 15-minute slots on the next weekdays after a short lead: ["Fri Nov 27 at 10:00", ...]."""
    slots, day, skipped = [], today, 0
    while len(slots) < len(SLOT_TIMES):
        day += dt.timedelta(days=1)
        if day.weekday() >= 5:
            continue
        skipped += 1
        if skipped >= lead_business_days:
            slots.append(f"{day:%a} {day:%b} {day.day} at {SLOT_TIMES[len(slots)]}")
    return slots


# --------------------------------------------------------------------------- the template's context
def _with_hints(values: dict, hint_for) -> dict:
    """Replace empty values by `missing(...)` so a template using one fails with how to add it."""
    return {key: (value if value not in (None, "") else missing(hint_for(key))) for key, value in values.items()}


def _flag(key: str) -> str:
    return key.replace("_", "-")


def choose_question(facts: DraftFacts, template: Template, given: str | None) -> str | None:
    """The one question to ask: --question; else, for a first message, the question of the hook it cites; for a
    nudge, the question the first message actually asked (else that hook's); else the template's default."""
    if given and given.strip():
        return given.strip()
    hook_question = facts.hooks[0].question if facts.hooks else None
    if template.kind == "first-message" and hook_question:
        return hook_question
    if template.kind == "nudge":
        sent_question = facts.sent.question if facts.sent is not None else None
        if sent_question or hook_question:
            return sent_question or hook_question
    return template.question


def template_context(
    facts: DraftFacts,
    *,
    template: Template,
    project: ProjectFacts | None,
    question: str | None,
    today: dt.date | None = None,
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
            {"text": hook.text, "url": hook.url, "date": hook.date, "question": hook.question},
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
        if chat.kept_step is not None:
            # Defined once the next step's promise is marked kept, so a thank-you never promises it again: the
            # step said as done ("I've sent you my notes"), or "" when crm cannot say it (the line is left out).
            chat_ctx["next_step_kept"] = kept(chat.kept_step, first_name(contact.name))
    else:
        chat_ctx = missing(f"no chat with {who} is logged yet: log one with `crm log {ref} --kind chat`")
    intro = facts.last_intro
    if intro is not None:
        intro_ctx = {"to": intro.to, "to_first_name": first_name(intro.to), "date": intro.date}
    else:
        intro_ctx = missing(
            f"{who} has not introduced you to anyone: log it with `crm log {ref} --kind intro --intro-to NAME`"
        )
    chosen_question = choose_question(facts, template, question)
    school, program = shared_background(facts)
    if school or program:
        shared_ctx = _with_hints(
            {"text": " ".join(x for x in (school, program) if x), "school": school, "program": program},
            lambda key: f"you and {who} share no {key} on record",
        )
    else:
        shared_ctx = missing(
            f"you and {who} share no school or program on record: set theirs with "
            f"`crm contact edit {ref} --school ... --program ...` and yours with `crm me --school ... --major ...`"
        )
    if facts.introduced_by:
        introducer_ctx = {"name": facts.introduced_by, "first_name": first_name(facts.introduced_by)}
    else:
        introducer_ctx = missing(f"nobody introduced you to {who}: log the intro on the introducer's side")
    reply = facts.last_reply
    if reply is not None:
        reply_ctx = _with_hints(
            {"date": reply.date, "notes": reply.notes},
            lambda key: (
                f"{who}'s reply on {reply.date} has no {key}: log it with `crm log {ref} --kind reply --{key} ...`"
            ),
        )
    else:
        reply_ctx = missing(f"no reply from {who} is logged yet: log one with `crm log {ref} --kind reply`")
    referral = facts.last_referral
    if referral is not None:
        referral_ctx = _with_hints(
            {"date": referral.date, "notes": referral.notes, "next_step": referral.next_step},
            lambda key: (
                f"the referral from {who} on {referral.date} has no {key.replace('_', ' ')}: "
                f"log it with `crm log {ref} --kind referral --{_flag(key)} ...`"
            ),
        )
    else:
        referral_ctx = missing(f"no referral from {who} is logged: log one with `crm log {ref} --kind referral`")
    sent = facts.sent
    if sent is not None:
        sent_ctx = _with_hints(
            {"date": sent.date, "question": sent.question},
            lambda key: (
                f"your message to {who} on {sent.date} was not drafted by crm, so its {key} is unknown: "
                "pass it with --question"
            ),
        )
    else:
        sent_ctx = missing(
            f"you have not written to {who} yet, so there is nothing to follow up: "
            f"draft a first message with `crm draft {ref} --template first-message`"
        )
    return {
        "me": me_ctx,
        "contact": contact_ctx,
        "hook": hook_ctx,
        "project": project_ctx,
        "question": chosen_question
        or missing(f"template {template.name} has no default question: pass one with --question"),
        "last_chat": chat_ctx,
        "last_intro": intro_ctx,
        "last_reply": reply_ctx,
        "last_referral": referral_ctx,
        "sent": sent_ctx,
        "shared": shared_ctx,
        "introduced_by": introducer_ctx,
        "slots": upcoming_slots(today or dates.today()),
    }


# --------------------------------------------------------------------------- what the checks need
def check_inputs(facts: DraftFacts) -> dict:
    """What the checks need to know about this contact: what counts as theirs, and what we share.

    Computed once per draft, so re-checking as the text changes is a pure, fast call.
    """
    return {
        "personal_terms": personal_terms(facts),
        "shared_terms": shared_terms(facts),
        "relationship": facts.relationship,
    }


def shared_terms(facts: DraftFacts) -> list[str]:
    """What naming in the first sentence counts as a shared connection: our school, our program, who introduced us."""
    school, program = shared_background(facts)
    terms = [t for t in (school, program) if t]
    if school and program:
        terms.append(f"{school} {program}")
    if facts.introduced_by:
        terms.append(facts.introduced_by)
    return terms


def personal_terms(facts: DraftFacts) -> list[str]:
    """What counts as citing something of theirs: their hooks, team, what they shared, whom they introduced."""
    terms = [h.text for h in facts.hooks]
    if facts.contact.team:
        terms.append(facts.contact.team)
    if facts.last_chat is not None:
        terms += [t for t in (facts.last_chat.takeaways, facts.last_chat.notes) if t]
    return terms + facts.introduced
