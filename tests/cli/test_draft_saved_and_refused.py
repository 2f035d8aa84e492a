"""`crm draft CONTACT --saved` prints the drafts saved for them; `--send` of a first message to someone already in
touch is refused (exit 2, nothing written) and names the template that fits."""

import json
import sqlite3

import pytest

from tests.conftest import TODAY, dump

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)


@pytest.fixture
def maya(cli, db_path):
    """Maya with a hook, my profile and a project: a first message to her passes its checks."""
    assert cli("me", "--name", "Priya Shah", "--school", "MIT", "--year", "junior", "--major", "Course 6",
               "--target", "PM at Spotify").code == 0  # fmt: skip
    assert cli("project", "add", "Playlist cache", "--result", "cut load time from 3.2s to 1.4s").code == 0
    assert cli("contact", "add", "Maya Chen", "--company", "Spotify").code == 0
    assert cli("hook", "add", "Maya Chen", "post on reducing playlist-loading latency").code == 0
    return "Maya Chen"


def _save(db_path, text: str, *, sent_on: str | None = None, created_at: str) -> None:
    """A draft as the app's ctrl+s stores it (the CLI has no way to save without sending)."""
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO draft (contact_id, template, text, words, checks, sent_on, created_at)"
            " VALUES (1, 'first-message', ?, ?, '{}', ?, ?)",
            (text, len(text.split()), sent_on, created_at),
        )


@pytest.mark.sqlite_only  # reads or plants rows with sqlite3 on the file
def test_saved_prints_every_draft_newest_first_and_json_lists_them(cli, db_path, maya):
    assert "No saved drafts for Maya Chen" in cli("draft", maya, "--saved").out
    _save(db_path, "Hi Maya, the older one.", created_at="2026-11-23 10:00:00.000000")
    _save(db_path, "Hi Maya, the newer one.", created_at="2026-11-24 10:00:00.000000")
    _save(db_path, "Hi Maya, the one I sent.", sent_on="2026-11-22", created_at="2026-11-22 09:00:00.000000")
    result = cli("draft", maya, "--saved")
    assert result.code == 0, result.err
    blocks = result.out.strip().split("\n\n")
    assert [block.splitlines()[1] for block in blocks] == [
        "Hi Maya, the newer one.",
        "Hi Maya, the older one.",
        "Hi Maya, the one I sent.",
    ]
    assert blocks[0].startswith("#2 · first-message · 5 words · saved 2026-11-2") and "not sent" in blocks[0]
    assert "sent 2026-11-22" in blocks[2]
    listed = json.loads(cli("draft", maya, "--saved", "--json").out)
    assert [(d["id"], d["sent_on"]) for d in listed] == [(2, None), (1, None), (3, "2026-11-22")]
    assert listed[0]["text"] == "Hi Maya, the newer one." and listed[0]["saved_at"].startswith("2026-11-24T10:00")


def test_saved_takes_no_drafting_options(cli, maya):
    result = cli("draft", maya, "--saved", "--send")
    assert result.code == 2 and result.err.startswith("crm: --saved lists the drafts you saved")


def test_a_second_first_message_is_refused_with_exit_2_naming_the_template_that_fits(cli, db_path, maya):
    sent = cli("draft", maya, "--send")
    assert sent.code == 0 and "Marked sent: logged a message to Maya Chen" in sent.out
    before = dump(db_path)
    again = cli("draft", maya, "--template", "first-message", "--send")
    assert again.code == 2 and again.out == ""
    assert again.err.strip() == (
        "crm: not sent: you are already in touch with Maya Chen (1 interaction logged), so a first message would "
        "start over; the template that fits now is nudge (--template nudge)"
    )
    assert dump(db_path) == before
    # Drafting it without --send still shows it (nothing is marked), and the nudge that fits goes through.
    assert cli("draft", maya, "--template", "first-message").code == 0
    nudge = cli("draft", maya, "--send")
    assert nudge.code == 0 and "Marked sent" in nudge.out, nudge.err
    assert TODAY.isoformat() in cli("draft", maya, "--saved").out
