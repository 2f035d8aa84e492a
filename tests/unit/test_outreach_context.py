"""The draft's facts in plain SQL: what is read, in which order, and the template context and check inputs built from it."""

import datetime as dt

import pytest

from crm import profile
from crm.contacts.hooks import add_hook
from crm.contacts.interactions import log_interaction
from crm.errors import CrmError
from crm.outreach.context import (
    ME_FIELDS,
    ChatFacts,
    ContactFacts,
    HookFacts,
    IntroFacts,
    ProjectFacts,
    check_inputs,
    personal_terms,
    read_facts,
    template_context,
)
from crm.outreach.render import load_template, render
from crm.store.db import connect
from tests.conftest import TODAY

D = dt.date


@pytest.fixture
def conn(engine, db_path):
    conn = connect(db_path)
    yield conn
    conn.close()


@pytest.fixture
def maya(engine, add_contact):
    """Maya with three hooks (one undated), two chats on one day, two intros; me with a school; two projects."""
    from crm.store.db import write_session

    with write_session(engine) as session:
        maya = add_contact(
            session, "Maya  Chen", company="Spotify", team="Personalization", school="MIT", grad_year=2016
        )
        add_contact(session, "Ivan Petrov")
        add_contact(session, "Jia Song")
        add_hook(session=session, contact=maya, text="undated talk on ranking")
        add_hook(
            session=session,
            contact=maya,
            text="post on playlist latency",
            date=D(2026, 10, 2),
            url="https://x.example/p",
        )
        add_hook(session=session, contact=maya, text="older launch", date=D(2025, 1, 2))
        log_interaction(session=session, contact=maya, kind="chat", date=D(2026, 11, 1), today=TODAY, notes="first")
        log_interaction(
            session=session, contact=maya, kind="chat", date=D(2026, 11, 1), today=TODAY, takeaways="ship small."
        )
        log_interaction(
            session=session, contact=maya, kind="intro", date=D(2026, 11, 3), today=TODAY, intro_to="Jia Song"
        )
        log_interaction(
            session=session, contact=maya, kind="intro", date=D(2026, 11, 2), today=TODAY, intro_to="Ivan Petrov"
        )
        profile.update_me(session=session, name="Alex Rivera", school="MIT")
        profile.add_project(session=session, name="Campus music app API", result="cut load time from 3.2s to 1.4s")
        profile.add_project(session=session, name="Dorm food app", result="increased signups by 40%")
        return maya.id


def test_read_facts(conn, maya):
    facts = read_facts(conn, maya)
    assert facts.contact == ContactFacts(
        maya, "Maya Chen", None, None, "Spotify", "Personalization", None, "MIT", None, 2016, None, None
    )
    assert facts.me == {"name": "Alex Rivera", "school": "MIT", "year": None, "major": None, "target": None}
    # newest work first, undated last (the newest undated first)
    assert facts.hooks == [
        HookFacts("post on playlist latency", "https://x.example/p", D(2026, 10, 2)),
        HookFacts("older launch", None, D(2025, 1, 2)),
        HookFacts("undated talk on ranking", None, None),
    ]
    assert [p.name for p in facts.projects] == ["Campus music app API", "Dorm food app"]
    assert facts.projects[0] == ProjectFacts("Campus music app API", None, "cut load time from 3.2s to 1.4s")
    assert facts.last_chat == ChatFacts(D(2026, 11, 1), None, "ship small.", None)  # the later of one day's two
    assert facts.last_intro == IntroFacts("Jia Song", D(2026, 11, 3))
    assert facts.introduced == ["Ivan Petrov", "Jia Song"]


def test_read_facts_of_a_bare_contact_and_an_empty_profile(conn, engine, add_contact):
    from crm.store.db import write_session

    with write_session(engine) as session:
        bare = add_contact(session, "Bare").id
    facts = read_facts(conn, bare)
    assert facts.me == dict.fromkeys(ME_FIELDS)  # no profile row yet
    assert (facts.hooks, facts.projects, facts.last_chat, facts.last_intro, facts.introduced) == (
        [],
        [],
        None,
        None,
        [],
    )


def test_an_unknown_contact_is_a_crm_error(conn):
    with pytest.raises(CrmError, match=r"^no contact has id 99: see `crm contact list`$"):
        read_facts(conn, 99)


def test_the_profile_fields_match_the_orm_side():
    assert ME_FIELDS == profile.ME_FIELDS


def test_the_reads_work_inside_a_write_transaction(engine, maya):
    """`raw_connection(session)` is a DB-API connection too: the facts see the session's own uncommitted rows."""
    from crm.store.db import raw_connection, write_session

    with write_session(engine) as session:
        profile.update_me(session=session, year="junior")
        assert read_facts(raw_connection(session), maya).me["year"] == "junior"


# --------------------------------------------------------------------------- the template's context
def test_template_context_has_every_field_and_hints_for_the_missing(conn, maya):
    facts = read_facts(conn, maya)
    template = load_template("first-message")
    context = template_context(facts, template=template, project=facts.projects[1], question=None)
    assert set(context) == {"me", "contact", "hook", "project", "question", "last_chat", "last_intro"}
    assert context["contact"]["first_name"] == "Maya" and context["contact"]["grad_year"] == 2016
    assert "id" not in context["contact"]
    assert context["hook"]["date"] == D(2026, 10, 2)
    assert context["project"]["result"] == "increased signups by 40%"
    assert context["question"] == template.question
    assert context["last_intro"] == {"to": "Jia Song", "to_first_name": "Jia", "date": D(2026, 11, 3)}
    with pytest.raises(CrmError, match=r"your profile has no year: set it with `crm me --year \.\.\.`"):
        render(template, context)


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        (
            "{{ contact.linkedin_url }}",
            "Maya Chen has no linkedin url: add it with `crm contact edit {id} --linkedin-url ...`",
        ),
        (
            "{{ last_chat.next_step }}",
            "your chat with Maya Chen on 2026-11-01 has no next step: log it with `crm log {id} --kind chat --next-step ...`",
        ),
        ("{{ project.description }}", "project 'Campus music app API' has no description"),
    ],
)
def test_a_missing_field_names_itself_and_how_to_add_it(conn, maya, tmp_path, monkeypatch, body, hint):
    monkeypatch.setenv("CRM_TEMPLATES", str(tmp_path))
    (tmp_path / "t.j2").write_text(body)
    facts = read_facts(conn, maya)
    template = load_template("t")
    context = template_context(facts, template=template, project=facts.projects[0], question="How?")
    with pytest.raises(CrmError) as info:
        render(template, context)
    assert str(info.value) == f"template t: {hint.format(id=maya)}"


def test_a_question_given_wins_over_the_templates_and_blanks_do_not(conn, maya):
    facts = read_facts(conn, maya)
    template = load_template("first-message")
    assert template_context(facts, template=template, project=None, question="  Why?  ")["question"] == "Why?"
    assert template_context(facts, template=template, project=None, question="   ")["question"] == template.question


# --------------------------------------------------------------------------- what the checks need
def test_check_inputs_collect_what_is_theirs_and_what_we_share(conn, maya):
    facts = read_facts(conn, maya)
    assert check_inputs(facts) == {
        "personal_terms": [
            "post on playlist latency", "older launch", "undated talk on ranking", "Personalization", "ship small.",
            "Ivan Petrov", "Jia Song",
        ],
        "shared_terms": ["MIT", "MIT"],
    }  # fmt: skip
    assert personal_terms(facts) == check_inputs(facts)["personal_terms"]
