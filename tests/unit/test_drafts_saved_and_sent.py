"""What a draft is missing (all at once), saved drafts that come back, marking one sent, and the words for what that
did; the profile's plain-SQL read and the project rules the CLI and the app share."""

import dataclasses
import datetime as dt
import sqlite3
from contextlib import closing
from types import SimpleNamespace

import pytest

from crm import profile
from crm.contacts.hooks import add_hook
from crm.contacts.interactions import log_interaction
from crm.errors import CrmError
from crm.models import Contact
from crm.outreach.drafts import (
    draft_message,
    draft_with_gaps,
    first_message_refusal,
    save_draft,
    saved_drafts,
    send_draft,
    sent_summary,
)
from crm.outreach.render import load_template
from crm.store.db import connect, write_session
from tests.conftest import TODAY


@pytest.fixture
def net(engine, db_path, add_contact):
    """Maya (a hook) and Bare (nothing), and no profile or project yet; `conn` reads them as the CLI does."""
    with write_session(engine) as session:
        maya = add_contact(session, "Maya Chen", company="Spotify")
        bare = add_contact(session, "Bare Person")
        add_hook(session=session, contact=maya, text="post on reducing playlist-loading latency")
        ids = {"maya": maya.id, "bare": bare.id}
    with closing(connect(db_path)) as conn:
        yield SimpleNamespace(conn=conn, engine=engine, db_path=db_path, **ids)


def with_text(draft, text):
    """The same draft with other (edited) text."""
    return dataclasses.replace(draft, text=text)


def _set_up_me(engine) -> None:
    with write_session(engine) as session:
        profile.update_me(session=session, name="Priya Shah", school="MIT", year="junior", major="Course 6",
                          target="PM at Spotify")  # fmt: skip
        profile.add_project(session=session, name="Playlist cache", result="cut load time from 3.2s to 1.4s")


# --------------------------------------------------------------------------- everything missing, at once
def test_every_gap_is_listed_at_once_and_stands_in_the_text(net):
    draft = draft_with_gaps(net.conn, net.bare, template_name="first-message")
    assert [(gap.area, gap.field) for gap in draft.gaps] == [
        ("me", "name"), ("me", "year"), ("me", "school"), ("me", "major"), ("hook", None), ("project", None),
        ("me", "target"),
    ]  # fmt: skip
    assert [gap.what for gap in draft.gaps if gap.area != "me"] == [
        "Bare Person has no research hook",
        "you have no projects yet",
    ]
    assert "I'm [your name], a [your year] at [your school]" in draft.text
    assert "my work on [your project] ([your project's result])" in draft.text
    assert "[your target]" in draft.text
    assert {"[your name]", "[their post or talk]", "[your project's result]"} <= draft.placeholders
    # The stand-ins fail the placeholder check, so a draft with a gap is never marked sent as it is.
    assert not draft.check.ok and {p.check for p in draft.check.problems} == {"placeholder"}
    with pytest.raises(CrmError, match="your profile has no name"):  # the CLI's strict render: one at a time
        draft_message(net.conn, net.bare, template_name="first-message")


def test_with_everything_on_record_there_is_no_gap_and_the_text_is_the_strict_one(net):
    _set_up_me(net.engine)
    lenient = draft_with_gaps(net.conn, net.maya, template_name="first-message")
    assert lenient.gaps == () and lenient.placeholders == frozenset()
    assert lenient.text == draft_message(net.conn, net.maya, template_name="first-message").text
    assert lenient.check.ok


def test_a_history_the_template_needs_is_a_gap_too(net):
    _set_up_me(net.engine)
    thanks = draft_with_gaps(net.conn, net.maya, template_name="thank-you")
    assert [gap.area for gap in thanks.gaps] == ["last_chat"]
    assert "[the chat's date]" in thanks.text
    nudge = draft_with_gaps(net.conn, net.maya, template_name="nudge")
    assert [gap.area for gap in nudge.gaps] == ["sent"]
    assert nudge.gaps[0].what == "you have not written to Maya Chen yet, so there is nothing to follow up"


# --------------------------------------------------------------------------- saved drafts
def _draft_rows(db_path):
    with sqlite3.connect(db_path) as raw:
        return raw.execute("SELECT id, text, sent_on, interaction_id FROM draft ORDER BY id").fetchall()


def test_saved_drafts_come_back_newest_first_and_saving_again_updates_the_row(net):
    _set_up_me(net.engine)
    draft = draft_message(net.conn, net.maya)
    with write_session(net.engine) as session:
        first = save_draft(session, with_text(draft, "first version")).id
    with write_session(net.engine) as session:
        second = save_draft(session, with_text(draft, "second version")).id
    assert [d.id for d in saved_drafts(net.conn, net.maya)] == [second, first]
    with write_session(net.engine) as session:  # the older one edited and saved again: same row, now newest
        assert save_draft(session, with_text(draft, "first, edited"), draft_id=first).id == first
    assert [(d.id, d.text) for d in saved_drafts(net.conn, net.maya)] == [
        (first, "first, edited"),
        (second, "second version"),
    ]
    assert saved_drafts(net.conn, net.bare) == []


def test_marking_a_saved_draft_sent_marks_that_row_and_it_no_longer_comes_back(net):
    _set_up_me(net.engine)
    draft = draft_message(net.conn, net.maya)
    with write_session(net.engine) as session:
        saved = save_draft(session, draft).id
    with write_session(net.engine) as session:
        send_draft(session, draft, today=TODAY, draft_id=saved)
    ((row_id, text, sent_on, interaction_id),) = _draft_rows(net.db_path)
    assert (row_id, text, sent_on) == (saved, draft.text, TODAY.isoformat()) and interaction_id is not None
    assert saved_drafts(net.conn, net.maya) == []
    assert [d.sent_on for d in saved_drafts(net.conn, net.maya, unsent_only=False)] == [TODAY]
    with pytest.raises(CrmError, match="already marked sent"), write_session(net.engine) as session:
        save_draft(session, draft, draft_id=saved)  # a sent draft is never rewritten


# --------------------------------------------------------------------------- no second first message
def test_a_first_message_to_someone_already_written_to_is_refused_naming_the_template_that_fits(net):
    _set_up_me(net.engine)
    first = load_template("first-message")
    assert first_message_refusal(net.conn, net.maya, first) is None
    draft = draft_message(net.conn, net.maya)
    with write_session(net.engine) as session:
        send_draft(session, draft, today=TODAY)
    refusal = first_message_refusal(net.conn, net.maya, first)
    assert refusal == (
        "not sent: you are already in touch with Maya Chen (1 interaction logged), so a first message would start "
        "over; the template that fits now is nudge"
    )
    assert first_message_refusal(net.conn, net.maya, load_template("nudge")) is None
    with pytest.raises(CrmError, match="the template that fits now is nudge"), write_session(net.engine) as session:
        send_draft(session, draft_message(net.conn, net.maya), today=TODAY)
    assert len(_draft_rows(net.db_path)) == 1  # nothing more written


# --------------------------------------------------------------------------- what marking sent did, in words
def _contact(next_follow_up=None, key=None, reason=None):
    return Contact(name="Maya Chen", next_follow_up=next_follow_up, next_follow_up_key=key,
                   next_follow_up_reason=reason)  # fmt: skip


@pytest.mark.parametrize(
    ("template", "contact", "expected"),
    [
        ("first-message", _contact(dt.date(2026, 12, 4), "nudge-7", "nudge: no reply"),
         "Logged your first message to Maya Chen; if Maya has not replied, a nudge is due Fri Dec 4."),
        ("nudge", _contact(), "Logged your nudge to Maya Chen; nothing more will be scheduled: one nudge only."),
        ("thank-you", _contact(dt.date(2026, 12, 23), "keep-9", "keep in touch"),
         "Logged your thank-you to Maya Chen; next, keep in touch Wed Dec 23."),
        ("reply", _contact(dt.date(2026, 12, 1), "set-3", "send the deck"),
         "Logged your reply to Maya Chen; next: send the deck (Tue Dec 1)."),
        ("keep-in-touch", _contact(), "Logged your note to Maya Chen; nothing more is scheduled."),
    ],
    ids=["nudge-scheduled", "one-nudge-only", "keep-in-touch", "explicit", "nothing"],
)  # fmt: skip
def test_the_words_for_what_marking_sent_did_follow_what_was_scheduled(template, contact, expected):
    assert sent_summary(contact, load_template(template), today=TODAY) == expected


def test_after_a_real_nudge_nothing_more_is_scheduled_and_the_words_say_so(net):
    _set_up_me(net.engine)
    with write_session(net.engine) as session:
        send_draft(session, draft_message(net.conn, net.maya), today=TODAY)
    nudge = draft_message(net.conn, net.maya, template_name="nudge", today=TODAY + dt.timedelta(days=9))
    with write_session(net.engine) as session:
        contact = send_draft(session, nudge, today=TODAY + dt.timedelta(days=9))
        words = sent_summary(contact, nudge.template, today=TODAY)
    assert words == "Logged your nudge to Maya Chen; nothing more will be scheduled: one nudge only."


# --------------------------------------------------------------------------- the profile
def test_read_profile_is_plain_sql_and_lists_what_is_missing(net):
    empty = profile.read_profile(net.conn)
    assert empty.me == dict.fromkeys(profile.ME_FIELDS) and empty.projects == []
    assert empty.missing == list(profile.ME_FIELDS)
    with write_session(net.engine) as session:
        profile.update_me(session=session, name="  Priya   Shah ", school="MIT")
        profile.add_project(session=session, name="Playlist cache", result="cut load time 40%", description="a cache")
    mine = profile.read_profile(net.conn)
    assert mine.me["name"] == "Priya Shah" and mine.missing == ["year", "major", "target"]
    assert [(p.name, p.result, p.description) for p in mine.projects] == [
        ("Playlist cache", "cut load time 40%", "a cache")
    ]


@pytest.mark.parametrize(
    ("name", "result", "field", "message"),
    [
        ("  ", "cut it 40%", "name", "a project needs a name"),
        ("Cache", " ", "result", "a project needs a measured result: what changed, with a number"),
        ("playlist CACHE", "again", "name", "a project named 'playlist CACHE' already exists: choose another name"),
    ],
)
def test_a_project_the_domain_refuses_names_the_field(net, name, result, field, message):
    with write_session(net.engine) as session:
        profile.add_project(session=session, name="Playlist cache", result="cut load time 40%")
    with pytest.raises(profile.ProjectFieldError) as info, write_session(net.engine) as session:
        profile.add_project(session=session, name=name, result=result)
    assert (info.value.field, str(info.value)) == (field, message)


def test_the_profile_module_loads_no_orm_until_it_writes():
    import subprocess
    import sys

    code = "import sys, crm.profile; print('sqlalchemy' in sys.modules or 'sqlmodel' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_log_interaction_is_what_marks_in_touch(net):
    """A logged chat (not only a message) makes a first message the wrong template."""
    with write_session(net.engine) as session:
        log_interaction(session=session, contact=session.get(Contact, net.bare), kind="chat", date=TODAY, today=TODAY,
                        notes="met at the career fair")  # fmt: skip
    refusal = first_message_refusal(net.conn, net.bare, load_template("first-message"))
    assert refusal is not None and "Bare Person" in refusal and "fits now is" in refusal
