"""Drafting on a plain read connection (no ORM loaded), choosing the project, re-checking, and sending in one write."""

import datetime as dt
import json
import subprocess
import sys
from contextlib import closing
from types import SimpleNamespace

import pytest

from crm import profile
from crm.contacts.hooks import add_hook
from crm.errors import CrmError
from crm.outreach.checks import Relationship
from crm.outreach.context import ContactFacts, HookFacts, ProjectFacts
from crm.outreach.drafts import (
    DraftResult,
    asked_question,
    check_draft,
    choose_project,
    draft_message,
    save_draft,
    send_draft,
)
from crm.store.db import connect, write_session
from tests.conftest import TODAY


@pytest.fixture
def net(engine, db_path, add_contact):
    """Maya (a hook, a team), Bare (nothing), my full profile and two projects; `conn` reads them as the CLI does."""
    with write_session(engine) as session:
        maya = add_contact(session, "Maya Chen", company="Spotify", team="Personalization", school="MIT")
        bare = add_contact(session, "Bare Person")
        add_hook(session=session, contact=maya, text="post on reducing playlist-loading latency")
        profile.update_me(
            session=session, name="Alex Rivera", school="MIT", year="junior", major="Course 6-3",
            target="Product Manager at Spotify",
        )  # fmt: skip
        profile.add_project(session=session, name="Campus music app API", result="cut load time from 3.2s to 1.4s")
        profile.add_project(
            session=session, name="Dorm food app onboarding A/B test", result="increased signups by 40%",
            description="personalization of the onboarding flow",
        )  # fmt: skip
        ids = {"maya": maya.id, "bare": bare.id}
    with closing(connect(db_path)) as conn:
        yield SimpleNamespace(conn=conn, **ids)


def test_a_first_message_renders_and_passes_its_checks(net):
    draft = draft_message(net.conn, net.maya, template_name="first-message")
    # We share the school (not a program on record): the first sentence says so.
    assert draft.text.startswith(
        "Hi Maya,\n\nI'm Alex Rivera, a junior studying Course 6-3 and a fellow MIT alum-to-be."
    )
    assert "post on reducing playlist-loading latency" in draft.text
    assert draft.check.ok, draft.check.problems
    assert draft.project.name == "Dorm food app onboarding A/B test"  # shares "personalization" with her team
    assert draft.as_json() == {
        "contact_id": net.maya, "template": "first-message", "text": draft.text, "check": draft.check.as_json(),
    }  # fmt: skip
    assert draft.check_inputs == {
        "personal_terms": ["post on reducing playlist-loading latency", "Personalization"],
        "shared_terms": ["MIT"],
        "relationship": Relationship(),
        "questions": 1,
    }
    assert draft.check.advice == []  # a built-in passes its own advice too
    assert draft.question == "how does the team decide between short-term UX fixes and infrastructure investments?"


def test_options_pick_the_project_and_the_question(net):
    draft = draft_message(net.conn, net.maya, project_name="campus", question="What surprised you most?")
    assert "cut load time from 3.2s to 1.4s" in draft.text and "What surprised you most?" in draft.text


def test_a_contact_with_no_hook_gets_the_hint(net):
    with pytest.raises(CrmError) as info:
        draft_message(net.conn, net.bare, template_name="first-message")
    assert str(info.value) == (
        f'template first-message: Bare Person has no research hook: add one with `crm hook add {net.bare} "their post or talk"`'
    )


def test_errors_come_contact_first_then_template_then_project(net):
    with pytest.raises(CrmError, match="^no contact has id 999"):
        draft_message(net.conn, 999, template_name="nope", project_name="zzz")
    with pytest.raises(CrmError, match="^no template named 'nope'"):
        draft_message(net.conn, net.maya, template_name="nope", project_name="zzz")
    with pytest.raises(CrmError, match="^'zzz' is not one of your projects: choose one of Campus music app API, Dorm"):
        draft_message(net.conn, net.maya, project_name="zzz")


# --------------------------------------------------------------------------- choosing the project
P = [
    ProjectFacts("Campus music app API", "rebuilt an API", "cut load time"),
    ProjectFacts("Dorm food app", "ran an A/B test", "increased signups"),
    ProjectFacts("Dorm laundry bot", None, "saved time"),
]
MAYA = ContactFacts(1, "Maya Chen", *[None] * 10)._replace(team="Growth")


@pytest.mark.parametrize(
    ("projects", "hooks", "wanted", "chosen"),
    [
        (P, [], None, "Campus music app API"),  # nothing shared: the first
        (P, [HookFacts("signups experiment write-up", None, None)], None, "Dorm food app"),  # shares "signups"
        (P, [], "dorm food app", "Dorm food app"),  # by name, any case
        (P, [], "laundry", "Dorm laundry bot"),  # by part of the name
        ([], [], None, None),  # no projects: the template says how to add one
    ],
)
def test_choose_project(projects, hooks, wanted, chosen):
    found = choose_project(projects, MAYA, hooks, wanted)
    assert (found.name if found else None) == chosen


@pytest.mark.parametrize(
    ("projects", "wanted", "message"),
    [
        (P, "dorm", "'dorm' matches several projects: choose one of Dorm food app, Dorm laundry bot"),
        (
            P,
            "zzz",
            "'zzz' is not one of your projects: choose one of Campus music app API, Dorm food app, Dorm laundry bot",
        ),
        ([], "x", "'x' is not one of your projects: choose one of none yet (crm project add)"),
    ],
)
def test_choose_project_refuses_unclear_names(projects, wanted, message):
    with pytest.raises(CrmError) as info:
        choose_project(projects, MAYA, [], wanted)
    assert str(info.value) == message


# --------------------------------------------------------------------------- re-checking
def test_check_draft_cites_against_the_contacts_own_terms(net):
    cites = check_draft(net.conn, net.maya, "I read your playlist-loading post. How do you measure it?", 50)
    assert cites.ok
    generic = check_draft(net.conn, net.maya, "I study at MIT. How do you pick projects?", 50)
    assert [p.check for p in generic.problems] == ["personal"]
    assert check_draft(net.conn, net.bare, "I study at MIT. How do you pick projects?", 50).ok  # nothing to cite


# --------------------------------------------------------------------------- saving and sending
def _rows(db_path):
    import sqlite3

    with sqlite3.connect(db_path) as raw:
        drafts = raw.execute(
            "SELECT contact_id, template, words, sent_on, interaction_id, checks FROM draft"
        ).fetchall()
        messages = raw.execute("SELECT contact_id, kind, date, notes FROM interaction").fetchall()
    return drafts, messages


def test_send_stores_the_draft_logs_the_message_and_returns_the_rescheduled_contact(net, engine, db_path):
    draft = draft_message(net.conn, net.maya)
    with write_session(engine) as session:
        contact = send_draft(session, draft, today=TODAY)
    assert contact.id == net.maya and contact.name == "Maya Chen"
    assert contact.next_follow_up == dt.date(2026, 12, 4)  # the nudge: 7 business days after Wed Nov 25
    drafts, messages = _rows(db_path)
    ((contact_id, template, words, sent_on, interaction_id, checks),) = drafts
    assert (contact_id, template, words, sent_on) == (net.maya, "first-message", draft.check.words, "2026-11-25")
    assert interaction_id is not None and json.loads(checks) == draft.check.as_json()
    assert messages == [(net.maya, "message", "2026-11-25", draft.text)]


def test_a_failing_draft_is_never_sent(net, engine, db_path):
    draft = draft_message(net.conn, net.maya, question="Could you refer me for the APM role?")
    assert not draft.check.ok
    with pytest.raises(CrmError, match="^not sent: the draft fails its checks$"), write_session(engine) as session:
        send_draft(session, draft, today=TODAY)
    assert _rows(db_path) == ([], [])


def test_save_keeps_an_edited_draft_unsent(net, engine, db_path):
    draft = draft_message(net.conn, net.maya)
    edited = DraftResult(draft.contact, draft.template, "Hi Maya, how?", draft.check, None, draft.check_inputs)
    with write_session(engine) as session:
        save_draft(session, edited)
    drafts, messages = _rows(db_path)
    assert [(d[0], d[3], d[4]) for d in drafts] == [(net.maya, None, None)] and messages == []


def test_a_contact_forgotten_meanwhile_is_not_sent_to(net, engine, db_path):
    draft = draft_message(net.conn, net.maya)
    net.conn.execute("DELETE FROM contact WHERE id = ?", (net.maya,))
    with pytest.raises(CrmError, match="no longer exists"), write_session(engine) as session:
        send_draft(session, draft, today=TODAY)
    assert _rows(db_path) == ([], [])


# --------------------------------------------------------------------------- the question sent, and the nudge
def _sent_questions(db_path):
    import sqlite3

    with sqlite3.connect(db_path) as raw:
        return raw.execute("SELECT template, question, sent_on FROM draft ORDER BY id").fetchall()


def test_the_nudge_repeats_the_question_actually_sent(net, engine, db_path):
    first = draft_message(net.conn, net.maya, question="What made the latency work worth funding?")
    with write_session(engine) as session:
        send_draft(session, first, today=TODAY)
    assert _sent_questions(db_path) == [("first-message", "What made the latency work worth funding?", "2026-11-25")]
    nudge = draft_message(net.conn, net.maya, template_name="nudge", today=dt.date(2026, 12, 4))
    assert "I'd still value your view: What made the latency work worth funding?" in nudge.text
    assert "my note of Nov 25" in nudge.text
    assert nudge.check.ok and nudge.check.advice == []


def test_an_edited_question_is_the_one_stored(net, engine, db_path):
    draft = draft_message(net.conn, net.maya)
    edited_text = draft.text.replace(draft.question, "which metric convinced the team?")
    edited = DraftResult(draft.contact, draft.template, edited_text, draft.check, None, draft.check_inputs)
    assert asked_question(edited) == "which metric convinced the team?"  # what follows the sentence's colon
    assert asked_question(draft) == draft.question
    plain = DraftResult(draft.contact, draft.template, "Hi. Is it fast? Thanks.", draft.check, None, {})
    assert asked_question(plain) == "Is it fast?"
    assert asked_question(DraftResult(draft.contact, draft.template, "No question.", draft.check, None, {})) is None
    with write_session(engine) as session:
        send_draft(session, edited, today=TODAY)
    assert _sent_questions(db_path)[0][1] == "which metric convinced the team?"
    nudge = draft_message(net.conn, net.maya, template_name="nudge")
    assert "which metric convinced the team?" in nudge.text


def test_a_nudge_needs_a_message_to_follow_up(net):
    with pytest.raises(CrmError, match="you have not written to Maya Chen yet, so there is nothing to follow up"):
        draft_message(net.conn, net.maya, template_name="nudge")


# --------------------------------------------------------------------------- the relationship decides a referral ask
def _log(engine, contact_id, *kinds):
    from crm.contacts.interactions import log_interaction
    from crm.models import Contact

    with write_session(engine) as session:
        contact = session.get(Contact, contact_id)
        for i, kind in enumerate(kinds):
            log_interaction(session=session, contact=contact, kind=kind, date=TODAY - dt.timedelta(days=20 - i),
                            today=TODAY, takeaways="ship small" if kind == "chat" else None)  # fmt: skip


ASK = "Could you refer me for the APM program?"


def test_a_referral_ask_fails_before_two_chats_and_is_advice_after(net, engine):
    text = f"Thank you for the chats about your playlist-loading latency post. {ASK}"
    assert [p.check for p in check_draft(net.conn, net.maya, text, 100).problems] == ["referral_ask"]
    _log(engine, net.maya, "message", "reply", "chat")
    (problem,) = check_draft(net.conn, net.maya, text, 100).problems
    assert "one chat is too soon" in problem.message
    _log(engine, net.maya, "chat")
    result = check_draft(net.conn, net.maya, text, 100)
    assert result.ok
    assert [a.message for a in result.advice if a.kind == "referral_ask"] == [
        'asks for a referral ("refer me for the APM program"): you\'ve talked twice: asking is reasonable now; '
        "the article's students waited to be offered"
    ]
    draft = draft_message(net.conn, net.maya, template_name="thank-you", question=ASK)  # drafts apply it too
    assert draft.check.ok and [a.kind for a in draft.check.advice] == ["referral_ask"]


# --------------------------------------------------------------------------- staying lean
def test_drafting_loads_neither_the_orm_nor_a_ui(net, db_path):
    """The draft path is a hot read: plain sqlite3, Jinja only once rendering starts, no SQLAlchemy at all."""
    code = (
        "import json, sys, sqlite3\n"
        "import crm.outreach.drafts as d\n"
        "before = set(sys.modules)\n"
        f"d.draft_message(sqlite3.connect({str(db_path)!r}), {net.maya})\n"
        "after = set(sys.modules)\n"
        "top = lambda mods: sorted({m.split('.')[0] for m in mods})\n"
        "print(json.dumps([top(before), top(after)]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    before, after = (set(mods) for mods in json.loads(out))
    heavy = {"sqlalchemy", "sqlmodel", "pydantic", "alembic", "textual", "click", "typer", "rich"}
    assert not after & heavy
    assert "jinja2" not in before and "jinja2" in after  # importing the module is cheap; rendering loads Jinja
