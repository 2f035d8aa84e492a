"""Undoing `x` (done): the follow-up or promise comes back exactly as it was, each step its own transaction as in the
app; refused, with nothing changed, when the contact changed in between."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from crm.contacts.interactions import log_interaction, record_interaction
from crm.contacts.writes import ContactChanges, create_contact, edit_contact, forget_contact
from crm.errors import CrmError
from crm.followups.promises import complete_promise_undoably, undo_promise_done
from crm.followups.writes import mark_done_undoably, snooze, undo_done
from crm.models import Contact
from crm.store.db import write_session
from tests.conftest import TODAY


def row(engine, contact_id: int) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT * FROM contact WHERE id = :id"), {"id": contact_id}).mappings().one())


def promise_done_on(engine, promise_id: int):
    with engine.connect() as conn:
        return conn.execute(text("SELECT done_on FROM promise WHERE id = :id"), {"id": promise_id}).scalar_one()


@pytest.fixture
def maya(engine) -> int:
    """Maya Chen, messaged ten days ago with no reply: a nudge is due."""
    with write_session(engine) as session:
        contact = create_contact(session=session, changes=ContactChanges(name="Maya Chen"), today=TODAY)
        log_interaction(
            session=session, contact=contact, kind="message", date=TODAY - dt.timedelta(days=10), today=TODAY
        )
        return contact.id


def in_one_transaction(engine, undo, token):
    with write_session(engine) as session:
        return undo(session=session, token=token)


def done(engine, contact_id: int):
    with write_session(engine) as session:
        return mark_done_undoably(session=session, contact=session.get(Contact, contact_id), today=TODAY)


def test_undo_puts_the_follow_up_back_exactly(engine, maya):
    before = row(engine, maya)
    assert before["next_follow_up"] is not None
    token = done(engine, maya)
    after = row(engine, maya)
    assert after["done_on"] == TODAY.isoformat() and after["next_follow_up"] != before["next_follow_up"]
    assert token.follow_up is None or token.follow_up.due.isoformat() == after["next_follow_up"]
    with write_session(engine) as session:
        back = undo_done(session=session, token=token)
    assert row(engine, maya) == before
    assert back is not None and back.due.isoformat() == before["next_follow_up"]


def test_undo_brings_back_a_snooze_with_its_note(engine, maya):
    with write_session(engine) as session:
        snooze(session=session, contact=session.get(Contact, maya), until=TODAY + dt.timedelta(days=2), today=TODAY)
    before = row(engine, maya)
    assert before["follow_up_note"] == "snoozed to Nov 27"
    token = done(engine, maya)
    assert row(engine, maya)["follow_up_on"] is None
    in_one_transaction(engine, undo_done, token)
    assert row(engine, maya) == before


def log_a_reply(session, contact_id):
    log_interaction(session=session, contact=session.get(Contact, contact_id), kind="reply", date=TODAY, today=TODAY)


def change_cadence(session, contact_id):
    contact = session.get(Contact, contact_id)
    edit_contact(session=session, contact=contact, changes=ContactChanges(cadence="weekly"), today=TODAY)


def snooze_it(session, contact_id):
    contact = session.get(Contact, contact_id)
    snooze(session=session, contact=contact, until=TODAY + dt.timedelta(days=5), today=TODAY)


@pytest.mark.parametrize("meanwhile", [log_a_reply, change_cadence, snooze_it], ids=lambda f: f.__name__)
def test_undo_is_refused_when_the_contact_changed_since(engine, maya, meanwhile):
    token = done(engine, maya)
    with write_session(engine) as session:
        meanwhile(session, maya)
    changed = row(engine, maya)
    with pytest.raises(CrmError, match="nothing undone: Maya Chen changed since"):
        in_one_transaction(engine, undo_done, token)
    assert row(engine, maya) == changed


def test_undo_is_refused_when_the_contact_is_gone(engine, maya):
    token = done(engine, maya)
    with write_session(engine) as session:
        forget_contact(session=session, contact=session.get(Contact, maya))
    with pytest.raises(CrmError, match="Maya Chen no longer exists"):
        in_one_transaction(engine, undo_done, token)


def _promises(session, contact_id):
    logged = record_interaction(
        session=session, contact=session.get(Contact, contact_id), kind="chat", date=TODAY, today=TODAY,
        promises=["send the deck @fri"],
    )  # fmt: skip
    return logged.promises


def test_undo_reopens_a_kept_promise_once(engine, maya):
    with write_session(engine) as session:
        [promise] = _promises(session, maya)
        promise_id = promise.id
    follow_up = row(engine, maya)
    with write_session(engine) as session:
        token = complete_promise_undoably(session=session, promise_id=promise_id, today=TODAY)
    assert (token.name, token.text) == ("Maya Chen", "send the deck")
    assert promise_done_on(engine, promise_id) == TODAY.isoformat()
    in_one_transaction(engine, undo_promise_done, token)
    assert promise_done_on(engine, promise_id) is None
    assert row(engine, maya) == follow_up  # her own follow-up was never touched
    with pytest.raises(CrmError, match="nothing undone: your promise to Maya Chen .* changed since"):
        in_one_transaction(engine, undo_promise_done, token)  # already open again


def test_undo_of_a_forgotten_contacts_promise_is_refused(engine, maya):
    with write_session(engine) as session:
        [promise] = _promises(session, maya)
        promise_id = promise.id
    with write_session(engine) as session:
        token = complete_promise_undoably(session=session, promise_id=promise_id, today=TODAY)
    with write_session(engine) as session:
        forget_contact(session=session, contact=session.get(Contact, maya))
    with pytest.raises(CrmError, match="no longer exists"):
        in_one_transaction(engine, undo_promise_done, token)
