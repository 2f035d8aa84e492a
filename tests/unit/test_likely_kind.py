"""The log form preselects what usually comes next with a contact."""

import datetime as dt
import sqlite3

import pytest

from crm.contacts.fields import ContactChanges
from crm.contacts.likely_kind import likely_kind
from crm.contacts.writes import create_contact
from crm.store.store import Store


@pytest.fixture
def conn(tmp_path):
    path = tmp_path / "crm.db"
    store = Store(path).open()
    try:
        with store.write() as session:
            create_contact(session=session, changes=ContactChanges(name="Maya Chen"), today=dt.date(2026, 11, 1))
    finally:
        store.close()
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


def log(conn, *kinds):
    for day, kind in enumerate(kinds, start=1):
        conn.execute(
            "INSERT INTO interaction (contact_id, kind, date, created_at) VALUES (1, ?, ?, '2026-11-01 00:00:00')",
            (kind, f"2026-11-{day:02d}"),
        )


@pytest.mark.parametrize(
    ("history", "next_kind"),
    [
        ((), "message"),  # never written to: the first message
        (("message",), "reply"),  # awaiting their reply
        (("message", "reply"), "chat"),  # they replied: my answer goes out as a draft; the chat comes next
        (("message", "reply", "message"), "chat"),  # times proposed: the chat
        (("message", "reply", "message", "chat"), "message"),  # the thank-you
        (("message", "reply", "message", "chat", "message"), "reply"),
        (("message", "note"), "reply"),  # a note changes nothing
        (("message", "reply", "message", "chat", "intro"), "message"),
    ],
)
def test_the_form_offers_what_usually_comes_next(conn, history, next_kind):
    log(conn, *history)
    assert likely_kind(conn, 1) == next_kind
