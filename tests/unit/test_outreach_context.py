"""The draft's facts in plain SQL: what is read, in which order, and the template context and check inputs built from it."""

import datetime as dt

import pytest

from crm import profile
from crm.contacts.hooks import add_hook
from crm.contacts.interactions import log_interaction
from crm.errors import CrmError
from crm.outreach.checks import Relationship
from crm.outreach.context import (
    ME_FIELDS,
    ChatFacts,
    ContactFacts,
    HookFacts,
    IntroFacts,
    ProjectFacts,
    ReferralFacts,
    ReplyFacts,
    SentFacts,
    check_inputs,
    choose_question,
    personal_terms,
    read_facts,
    shared_program,
    template_context,
    upcoming_slots,
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
            question="how do you weigh latency against features",
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
        HookFacts(
            "post on playlist latency",
            "https://x.example/p",
            D(2026, 10, 2),
            "how do you weigh latency against features?",
        ),
        HookFacts("older launch", None, D(2025, 1, 2)),
        HookFacts("undated talk on ranking", None, None),
    ]
    assert [p.name for p in facts.projects] == ["Campus music app API", "Dorm food app"]
    assert facts.projects[0] == ProjectFacts("Campus music app API", None, "cut load time from 3.2s to 1.4s")
    assert facts.last_chat == ChatFacts(D(2026, 11, 1), None, "ship small.", None)  # the later of one day's two
    assert facts.last_intro == IntroFacts("Jia Song", D(2026, 11, 3))
    assert facts.introduced == ["Ivan Petrov", "Jia Song"]
    assert facts.relationship == Relationship(chats=2, intros=2)
    assert (facts.last_reply, facts.last_referral, facts.sent, facts.introduced_by) == (None, None, None, None)


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
    assert facts.relationship == Relationship() and facts.relationship.first_contact


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
    assert set(context) == {
        "me", "contact", "hook", "project", "question", "last_chat", "last_intro",
        "last_reply", "last_referral", "sent", "shared", "introduced_by", "slots",
    }  # fmt: skip
    assert context["contact"]["first_name"] == "Maya" and context["contact"]["grad_year"] == 2016
    assert "id" not in context["contact"]
    assert context["hook"]["date"] == D(2026, 10, 2)
    assert context["project"]["result"] == "increased signups by 40%"
    assert context["question"] == "how do you weigh latency against features?"  # the cited hook's question
    assert context["hook"]["question"] == context["question"]
    assert (context["shared"]["text"], context["shared"]["school"]) == ("MIT", "MIT")  # no program on record
    assert context["slots"] == ["Fri Nov 27 at 10:00", "Mon Nov 30 at 14:00"]  # TODAY is Wednesday Nov 25
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


def test_a_question_given_wins_over_the_hooks_and_blanks_do_not(conn, maya):
    facts = read_facts(conn, maya)
    template = load_template("first-message")
    assert template_context(facts, template=template, project=None, question="  Why?  ")["question"] == "Why?"
    hook_question = facts.hooks[0].question
    assert template_context(facts, template=template, project=None, question="   ")["question"] == hook_question


def test_which_question_each_template_asks(conn, maya):
    facts = read_facts(conn, maya)
    first, nudge, thanks = (load_template(name) for name in ("first-message", "nudge", "thank-you"))
    hook_q = "how do you weigh latency against features?"
    # The first message asks the question of the hook it cites; other follow-ups keep their own.
    assert choose_question(facts, first, None) == hook_q
    assert choose_question(facts, thanks, None) == thanks.question
    # A nudge repeats the question the first message actually asked; else the hook's; else its default.
    sent = facts._replace(sent=SentFacts(D(2026, 11, 16), "what did the data say?"))
    assert choose_question(sent, nudge, None) == "what did the data say?"
    assert choose_question(facts._replace(sent=SentFacts(D(2026, 11, 16), None)), nudge, None) == hook_q
    no_hook_question = facts._replace(hooks=[h._replace(question=None) for h in facts.hooks])
    assert choose_question(no_hook_question, first, None) == first.question
    assert choose_question(no_hook_question, nudge, None) == nudge.question
    # --question wins everywhere.
    assert choose_question(sent, nudge, "Why?") == choose_question(facts, first, "Why?") == "Why?"


def test_follow_up_context_reply_referral_sent_and_introducer(conn, engine, maya, add_contact):
    from crm.models import Contact
    from crm.store.db import write_session

    with write_session(engine) as session:
        olivia = add_contact(session, "Olivia Grant", school="Berklee")
        maya_row = session.get(Contact, maya)
        log_interaction(session=session, contact=maya_row, kind="message", date=D(2026, 11, 4), today=TODAY)
        log_interaction(session=session, contact=maya_row, kind="reply", date=D(2026, 11, 5), today=TODAY,
                        notes="happy to talk")  # fmt: skip
        log_interaction(session=session, contact=maya_row, kind="referral", date=D(2026, 11, 20), today=TODAY,
                        notes="APM program", next_step="expect an email")  # fmt: skip
        log_interaction(
            session=session, contact=maya_row, kind="intro", date=D(2026, 11, 21), today=TODAY, intro_to="Olivia Grant"
        )
        olivia_id = olivia.id
    facts = read_facts(conn, maya)
    assert facts.last_reply == ReplyFacts(D(2026, 11, 5), "happy to talk")
    assert facts.last_referral == ReferralFacts(D(2026, 11, 20), "APM program", "expect an email")
    assert facts.sent == SentFacts(D(2026, 11, 4), None)  # logged by hand: what it asked is unknown
    assert facts.relationship == Relationship(chats=2, intros=3, messages=1, replies=1, referrals=1)
    context = template_context(facts, template=load_template("reply"), project=None, question=None)
    assert context["last_reply"] == {"date": D(2026, 11, 5), "notes": "happy to talk"}
    assert context["last_referral"]["next_step"] == "expect an email"
    assert context["sent"]["date"] == D(2026, 11, 4)
    olivia_facts = read_facts(conn, olivia_id)
    assert olivia_facts.introduced_by == "Maya Chen"
    olivia_context = template_context(
        olivia_facts, template=load_template("first-message"), project=None, question=None
    )
    assert olivia_context["introduced_by"] == {"name": "Maya Chen", "first_name": "Maya"}


@pytest.mark.parametrize(
    ("body", "hint"),
    [
        ("{{ sent.date }}", "you have not written to Maya Chen yet, so there is nothing to follow up: draft a first "
                            "message with `crm draft {id} --template first-message`"),
        ("{{ last_reply.date }}", "no reply from Maya Chen is logged yet: log one with `crm log {id} --kind reply`"),
        ("{{ last_referral.date }}", "no referral from Maya Chen is logged: log one with `crm log {id} --kind referral`"),
        ("{{ introduced_by.name }}", "nobody introduced you to Maya Chen: log the intro on the introducer's side"),
        ("{{ shared.program }}", "you and Maya Chen share no program on record"),
    ],
)  # fmt: skip
def test_missing_follow_up_context_says_what_to_log(conn, maya, tmp_path, monkeypatch, body, hint):
    monkeypatch.setenv("CRM_TEMPLATES", str(tmp_path))
    (tmp_path / "t.j2").write_text(body)
    facts = read_facts(conn, maya)
    template = load_template("t")
    with pytest.raises(CrmError) as info:
        render(template, template_context(facts, template=template, project=None, question="How?"))
    assert str(info.value) == f"template t: {hint.format(id=maya)}"


@pytest.mark.parametrize(
    ("mine", "theirs", "shared"),
    [
        ("Course 6-3 (Computer Science and Engineering)", "Course 6", "Course 6"),
        ("Course 6-3 (Computer Science and Engineering)", "Course 6-3, MEng", "Course 6-3"),
        ("Course 6-3", "Course 6 and Course 15", "Course 6"),
        ("Course 6-3", "Course 6-14", "Course 6"),
        ("Course 6-3", "Course 15 (Sloan MBA)", None),
        ("Course 6-3", "Course 18", None),
        ("Course 6-3", None, None),
        ("Computer Science", "computer science", "computer science"),
        ("Computer Science", "Music Business", None),
        (None, "Course 6", None),
    ],
)
def test_shared_program(mine, theirs, shared):
    assert shared_program(mine, theirs) == shared


@pytest.mark.parametrize(
    ("today", "slots"),
    [
        (D(2026, 11, 25), ["Fri Nov 27 at 10:00", "Mon Nov 30 at 14:00"]),  # Wednesday
        (D(2026, 11, 27), ["Tue Dec 1 at 10:00", "Wed Dec 2 at 14:00"]),  # Friday
        (D(2026, 11, 28), ["Tue Dec 1 at 10:00", "Wed Dec 2 at 14:00"]),  # Saturday
        (D(2026, 12, 30), ["Fri Jan 1 at 10:00", "Mon Jan 4 at 14:00"]),  # across the year
    ],
)
def test_upcoming_slots_are_two_concrete_weekdays_ahead(today, slots):
    assert upcoming_slots(today) == slots


# --------------------------------------------------------------------------- what the checks need
def test_check_inputs_collect_what_is_theirs_and_what_we_share(conn, maya):
    facts = read_facts(conn, maya)
    assert check_inputs(facts) == {
        "personal_terms": [
            "post on playlist latency", "older launch", "undated talk on ranking", "Personalization", "ship small.",
            "Ivan Petrov", "Jia Song",
        ],
        "shared_terms": ["MIT"],  # we share the school; nobody introduced us
        "relationship": Relationship(chats=2, intros=2),
    }  # fmt: skip
    assert personal_terms(facts) == check_inputs(facts)["personal_terms"]
