"""After a chat: promises (their dates, read only when sure), advice, suggested people, and what is due because of them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from crm.contacts.interactions import Suggested, read_suggested, read_suggested_line, record_interaction
from crm.contacts.merge import merge_contacts
from crm.contacts.writes import forget_contact
from crm.errors import CrmError
from crm.followups.promises import complete_promise, due_phrase, read_promise, read_promises
from crm.followups.reads import due_items, open_promises, promise_id_of
from crm.insights.paths import warm_path
from crm.insights.prep import prep_brief
from crm.models import Contact, Promise
from crm.store.db import raw_connection
from tests.conftest import TODAY

D = dt.date
WED = TODAY  # 2026-11-25, a Wednesday

# (what follows "by", the day it was said, the day it names or None when it is not sure)
PHRASES = [
    ("Friday", WED, D(2026, 11, 27)),
    ("fri", WED, D(2026, 11, 27)),
    ("Fri.", WED, D(2026, 11, 27)),
    ("this Friday", WED, D(2026, 11, 27)),
    ("Monday", WED, D(2026, 11, 30)),  # the coming one, across the weekend
    ("Wednesday", WED, None),  # said on a Wednesday: today, or a week from now?
    ("next Friday", WED, None),  # this week's, or next week's?
    ("today", WED, WED),
    ("tomorrow", WED, D(2026, 11, 26)),
    ("Dec 3", WED, D(2026, 12, 3)),
    ("3rd December", WED, D(2026, 12, 3)),
    ("December 3, 2026", WED, D(2026, 12, 3)),
    ("Jan 5", WED, D(2027, 1, 5)),  # said in November: next January
    ("Nov 1 2026", WED, None),  # a day already past, with its year: not a promise's date
    ("2026-12-03", WED, D(2026, 12, 3)),
    ("2026-11-01", WED, None),
    ("+3d", WED, D(2026, 11, 28)),
    ("+2w", D(2026, 12, 28), D(2027, 1, 11)),  # across the year end
    ("Feb 29", D(2027, 3, 1), None),  # next year's Feb 29 does not exist (2028's is two years on)
    ("Friday", D(2028, 2, 27), D(2028, 3, 3)),  # across a leap day
    ("3/12", WED, None),  # March 12 or December 3?
    ("the 3rd", WED, None),
    ("the end of the month", WED, None),
    ("then", WED, None),
    ("email", WED, None),
    ("Nov", WED, None),
    ("5pm", WED, None),
]


@pytest.mark.parametrize(("phrase", "said_on", "expected"), PHRASES, ids=[p[0] for p in PHRASES])
def test_a_by_date_is_read_only_when_it_names_one_day(phrase, said_on, expected):
    assert due_phrase(phrase, said_on=said_on) == expected


READ = [
    # (typed, text kept, due)
    ("send the skip-rate analysis by Friday", "send the skip-rate analysis", D(2026, 11, 27)),
    ("send it by email by Fri.", "send it by email", D(2026, 11, 27)),  # the last "by" is the date
    ("send it by email", "send it by email", None),
    ("send the deck, by Dec 3", "send the deck", D(2026, 12, 3)),
    ("send the deck by next Friday", "send the deck by next Friday", None),
    ("by Friday", "by Friday", None),  # nothing left to promise: kept as typed, undated
    ("stand by Friday's launch", "stand by Friday's launch", None),
    ("send the deck @fri", "send the deck", D(2026, 11, 27)),
    ("send the deck @ 2026-12-03", "send the deck", D(2026, 12, 3)),
    ("send the deck by Friday @Dec 4", "send the deck by Friday", D(2026, 12, 4)),  # an explicit date wins
    ("email maya@example.com the deck", "email maya@example.com the deck", None),  # no space before @: text
    ("  read   her post  ", "read her post", None),
]


@pytest.mark.parametrize(("typed", "text", "due"), READ, ids=[r[0] for r in READ])
def test_reading_a_promise(typed, text, due):
    read = read_promise(typed, said_on=WED, today=WED)
    assert (read.text, read.due) == (text, due)


def test_the_phrase_counts_from_the_chat_and_an_explicit_date_from_today():
    chat = D(2026, 11, 16)  # a Monday: "by Friday" said then is Nov 20, now past
    assert read_promise("send it by Friday", said_on=chat, today=WED).due == D(2026, 11, 20)
    assert read_promise("send it @fri", said_on=chat, today=WED).due == D(2026, 11, 27)
    assert read_promise("send it", said_on=chat, today=WED, explicit=D(2026, 12, 1)).due == D(2026, 12, 1)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "needs some text"),
        ("   ", "needs some text"),
        ("@fri", "needs some text"),
        ("send it @", "without a date"),
        ("send it @someday", "after ' @' comes the date"),
        ("send it @2026-11-01", "before it was promised"),
        ("send it @2026-02-30", "not a real date"),
    ],
)
def test_a_promise_that_cannot_be_read(typed, message):
    with pytest.raises(CrmError, match=message):
        read_promise(typed, said_on=WED, today=WED)


def test_several_promises_in_one_line():
    read = read_promises("read her post; send the deck by Dec 3;  ", said_on=WED, today=WED)
    assert [(p.text, p.due) for p in read] == [("read her post", None), ("send the deck", D(2026, 12, 3))]
    assert read[1].describe(today=WED) == "send the deck (due Thu Dec 3)"
    assert read[0].describe(today=WED) == "read her post (no date)"


@pytest.mark.parametrize(
    ("typed", "name", "company"),
    [
        ("Jia Song, Spotify", "Jia Song", "Spotify"),
        ("Jia Song (Spotify)", "Jia Song", "Spotify"),
        ("  Jia   Song  ", "Jia Song", None),
        ("Jia Song,", "Jia Song", None),
        ("Lee Park, Spotify, NYC", "Lee Park", "Spotify, NYC"),
    ],
)
def test_reading_a_suggested_person(typed, name, company):
    person = read_suggested(typed)
    assert (person.name, person.company, person.add) == (name, company, False)


def test_a_suggested_person_needs_a_name():
    with pytest.raises(CrmError, match="names nobody"):
        read_suggested(", Spotify")
    assert [p.label for p in read_suggested_line("Jia Song, Spotify; Lee Park;")] == ["Jia Song (Spotify)", "Lee Park"]


# -- logging, in the database ----------------------------------------------------------------------


def log(session, contact, **kwargs):
    kwargs.setdefault("kind", "chat")
    kwargs.setdefault("date", WED)
    return record_interaction(session=session, contact=contact, today=WED, notes="coffee", **kwargs)


@pytest.fixture
def maya(session, add_contact):
    return add_contact(session, "Maya Chen", company="Spotify")


def test_a_dated_next_step_is_a_promise_and_is_due(session, maya):
    logged = log(session, maya, next_step="send the skip-rate analysis by Friday", advice="talk to the podcast team")
    [promise] = logged.promises
    assert (promise.text, promise.due, promise.from_next_step) == ("send the skip-rate analysis", D(2026, 11, 27), True)
    assert logged.interaction.next_step == "send the skip-rate analysis by Friday"  # the next step stays as typed
    assert logged.interaction.advice == "talk to the podcast team"
    conn = raw_connection(session)
    items = due_items(conn, today=WED, through=D(2026, 11, 29))
    assert [(i.due, i.reason) for i in items] == [
        (D(2026, 11, 26), "thank Maya for the chat on Nov 25"),
        (D(2026, 11, 27), "promise: send the skip-rate analysis"),
    ]
    assert promise_id_of(items[1]) == promise.id and promise_id_of(items[0]) is None
    assert items[1].as_json() == {"contact_id": maya.id, "name": "Maya Chen", "company": "Spotify",
                                  "due": "2026-11-27", "reason": "promise: send the skip-rate analysis",
                                  "overdue": False}  # fmt: skip
    # Due on Friday: not in a window that ends before it, and overdue once it has passed.
    assert [i.reason for i in due_items(conn, today=WED, through=D(2026, 11, 26))] == [items[0].reason]
    late = due_items(conn, today=D(2026, 11, 30), through=None, overdue_only=True)
    assert [(i.reason, i.overdue) for i in late if promise_id_of(i)] == [("promise: send the skip-rate analysis", True)]


def test_an_undated_next_step_is_no_stored_promise_but_is_open_until_i_write(session, maya):
    logged = log(session, maya, next_step="send the deck by next Friday")
    assert logged.promises == []
    conn = raw_connection(session)
    [open_one] = open_promises(conn, maya.id)
    assert (open_one.id, open_one.text, open_one.due, open_one.noted_on) == (None, "send the deck by next Friday", None, WED)
    log(session, maya, kind="message")  # my next message keeps what the chat's undated next step promised
    assert open_promises(conn, maya.id) == []


def test_explicit_next_step_date_and_extra_promises(session, maya):
    logged = log(
        session, maya, next_step="send the deck", next_step_due=D(2026, 12, 2),
        promises=["read her post", "intro her to Sam @Dec 3"],
    )  # fmt: skip
    assert [(p.text, p.due, p.from_next_step) for p in logged.promises] == [
        ("send the deck", D(2026, 12, 2), True), ("read her post", None, False), ("intro her to Sam", D(2026, 12, 3), False),
    ]  # fmt: skip
    conn = raw_connection(session)
    assert [(p.text, p.due) for p in open_promises(conn, maya.id)] == [
        ("send the deck", D(2026, 12, 2)), ("intro her to Sam", D(2026, 12, 3)), ("read her post", None),
    ]  # fmt: skip
    # The chat's next step is a stored promise now: listed once, and kept only when marked done.
    log(session, maya, kind="message", date=WED)
    assert len(open_promises(conn, maya.id)) == 3
    complete_promise(session=session, promise_id=logged.promises[0].id, today=WED, contact=maya)
    assert [p.text for p in open_promises(conn, maya.id)] == ["intro her to Sam", "read her post"]
    brief = prep_brief(conn, maya.id, today=WED)
    assert [(p.next_step, p.due, p.id) for p in brief.open_promises] == [
        ("intro her to Sam", D(2026, 12, 3), logged.promises[2].id), ("read her post", None, logged.promises[1].id),
    ]  # fmt: skip


def test_completing_a_promise_leaves_the_follow_up_alone(session, maya):
    logged = log(session, maya, promises=["send the deck @fri"])
    before = (maya.next_follow_up, maya.next_follow_up_reason)
    done = complete_promise(session=session, promise_id=logged.promises[0].id, today=WED, contact=maya)
    assert done.done_on == WED and (maya.next_follow_up, maya.next_follow_up_reason) == before
    assert not [i for i in due_items(raw_connection(session), today=WED, through=None) if promise_id_of(i)]
    with pytest.raises(CrmError, match="was done on 2026-11-25"):
        complete_promise(session=session, promise_id=done.id, today=WED, contact=maya)


def test_completing_someone_elses_or_an_unknown_promise(session, maya, add_contact):
    ivan = add_contact(session, "Ivan Petrov")
    logged = log(session, maya, promises=["send the deck @fri", "read her post"])
    with pytest.raises(CrmError, match=r"no promise to Ivan Petrov has id \d+: Ivan Petrov has no open promises"):
        complete_promise(session=session, promise_id=logged.promises[0].id, today=WED, contact=ivan)
    with pytest.raises(CrmError, match="Maya Chen's open promises: .*'send the deck' \\(due 2026-11-27\\); .*'read her post'"):
        complete_promise(session=session, promise_id=999, today=WED, contact=maya)


def test_suggested_people_are_noted_and_added_only_when_asked(session, maya, add_contact):
    lee = add_contact(session, "Lee Park")
    logged = log(
        session, maya,
        suggested=[Suggested("Jia Song", "Spotify", add=True), Suggested("Lee Park", add=True), Suggested("Sam Ode")],
    )  # fmt: skip
    assert logged.interaction.suggested == "Jia Song (Spotify)\nLee Park\nSam Ode"
    outcomes = {o.suggested.name: o for o in logged.suggested}
    assert outcomes["Jia Song"].outcome == "added" and outcomes["Lee Park"].outcome == "linked"
    assert outcomes["Sam Ode"].outcome == "noted" and outcomes["Sam Ode"].contact is None
    jia = outcomes["Jia Song"].contact
    assert (jia.company, jia.source, jia.introduced_by_id) == ("Spotify", "suggested by Maya Chen", maya.id)
    assert outcomes["Lee Park"].contact.id == lee.id and lee.introduced_by_id == maya.id  # linked, not duplicated
    assert session.scalars(select(Contact).where(Contact.name == "Sam Ode")).all() == []
    conn = raw_connection(session)
    assert [step.name for step in warm_path(conn, jia.id)] == ["Maya Chen", "Jia Song"]


def test_someone_already_introduced_keeps_their_introducer(session, maya, add_contact):
    priya = add_contact(session, "Priya Raman")
    lee = add_contact(session, "Lee Park", introduced_by=str(priya.id))
    logged = log(session, maya, suggested=[Suggested("Lee Park", add=True)])
    assert logged.suggested[0].outcome == "already introduced by Priya Raman" and lee.introduced_by_id == priya.id


def test_a_name_that_fits_several_contacts(session, maya, add_contact):
    add_contact(session, "Jia Song", company="Spotify")
    add_contact(session, "Jia Song", company="Netflix")
    with pytest.raises(CrmError, match=r"'Jia Song' names 2 contacts: #\d+ Jia Song \(Spotify\); #\d+ Jia Song \(Netflix\)"):
        log(session, maya, suggested=[Suggested("Jia Song", add=True)])
    # The company tells them apart.
    logged = log(session, maya, suggested=[Suggested("Jia Song", "netflix", add=True)])
    assert logged.suggested[0].outcome == "linked" and logged.suggested[0].contact.company == "Netflix"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "message", "advice": "x"}, "--advice is what they said"),
        ({"kind": "message", "suggested": [Suggested("Jia")]}, "--suggested is what they said"),
        ({"next_step_due": D(2026, 12, 1)}, "--next-step-due needs a --next-step"),
        ({"next_step": "x", "next_step_due": D(2026, 11, 1)}, "before it was promised"),
        ({"promises": ["   "]}, "needs some text"),
        ({"suggested": [Suggested("Maya Chen", add=True)]}, "cannot suggest talking to themselves"),
    ],
)
def test_what_cannot_be_logged_writes_nothing(session, maya, kwargs, message):
    with pytest.raises(CrmError, match=message):
        log(session, maya, **kwargs)


def test_merge_moves_promises_and_forget_deletes_them(session, maya, add_contact):
    other = add_contact(session, "Maya C.")
    kept = log(session, other, promises=["send the deck @fri"]).promises[0]
    log(session, maya, promises=["read her post"])
    plan = merge_contacts(session=session, keep=maya, other=other)
    assert plan.promises == 1 and "moves 1 interaction, 1 promise" in plan.summary()[0]
    session.refresh(kept)
    assert kept.contact_id == maya.id
    assert [i.reason for i in due_items(raw_connection(session), today=WED, through=None) if promise_id_of(i)] == [
        "promise: send the deck"
    ]
    forget_contact(session=session, contact=maya)
    assert session.scalars(select(Promise)).all() == []


def test_an_archived_contacts_promises_are_not_due(session, maya):
    log(session, maya, promises=["send the deck @fri"])
    maya.archived = True
    session.add(maya)
    session.flush()
    assert due_items(raw_connection(session), today=WED, through=None) == []


def _ascii_lower(text: str) -> str:
    return "".join(ch.lower() if ch.isascii() else ch for ch in text)


@pytest.mark.parametrize("count", [4, 60], ids=["a few: inserted", "many: one sort"])
def test_promises_take_their_places_among_the_follow_ups(session, add_contact, count):
    """By date, then name as SQLite orders it (lower() folds ASCII only), then contact; a contact's promises after
    their own follow-up on the same day."""
    people = [add_contact(session, name) for name in ("bea Lund", "Ana Roy", "Émile Dor")]
    for person in people:
        log(session, person, date=D(2026, 11, 24))  # a thank-you due Nov 25 for each
    for n in range(count):
        log(session, people[n % 3], kind="note", date=D(2026, 11, 24), promises=[f"promise {n} @{25 + n % 4} Nov"])
    items = due_items(raw_connection(session), today=WED, through=None)
    assert len(items) == 3 + count
    order = [(i.due, _ascii_lower(i.name), i.contact_id, promise_id_of(i) is not None) for i in items]
    assert order == sorted(order)
    on_the_25th = [(i.name, i.reason.split(":")[0]) for i in items if i.due == WED]
    assert count > 4 or on_the_25th[:3] == [("Ana Roy", "thank Ana for the chat on Nov 24"), ("bea Lund", "thank bea for the chat on"
                               " Nov 24"), ("bea Lund", "promise")]  # fmt: skip
    assert on_the_25th[-1][0] == "Émile Dor"  # É sorts after every ASCII letter, as in SQLite
