"""The tester's defects 5, 8 and 11 and the dates a tired person types, through the CLI (brief H).

Today is Thursday 2026-11-26, the tester's day.
"""

import json

import pytest

from tests.conftest import dump

pytestmark = pytest.mark.sqlite_only  # compares database dumps to prove a refusal wrote nothing


@pytest.fixture(autouse=True)
def thursday(monkeypatch):
    monkeypatch.setenv("CRM_TODAY", "2026-11-26")


@pytest.fixture
def me(cli):
    assert cli("me", "--name", "Alex Rivera", "--school", "MIT", "--year", "junior", "--major", "Course 6-3",
               "--target", "PM intern at Spotify").code == 0  # fmt: skip
    assert cli("project", "add", "Campus music app", "--result", "cut load time from 3.2s to 1.4s").code == 0


def show(cli, who):
    return json.loads(cli("contact", "show", who, "--json").out)


def add(cli, name, *steps):
    assert cli("contact", "add", name, "--company", "Spotify").code == 0
    assert cli("hook", "add", name, "post on reducing playlist-loading latency").code == 0
    for step in steps:
        result = cli("log", name, *step)
        assert result.code == 0, result.err


def one_line_refusal(result, *words):
    assert result.code == 2, result.out
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    for word in words:
        assert word in result.err


# -- defect 5 --------------------------------------------------------------------------------------------------------


def test_done_on_an_unanswered_nudge_schedules_nothing_and_says_so(cli, me, monkeypatch):
    add(cli, "Søren Kjær", ("--kind", "message", "--date", "2026-11-03"))  # nudge due Nov 12: 14 days overdue
    result = cli("done", "søren")
    assert result.code == 0
    assert result.out.strip() == (
        "Done. Nothing more is scheduled for Søren Kjær until they reply (one nudge at most: no pestering);"
        " when they do: crm log 1 --kind reply"
    )
    assert show(cli, "søren")["next_follow_up"] is None
    assert json.loads(cli("due", "--days", "365", "--json").out) == []
    assert "Søren Kjær (Spotify): messaged Nov 3" in cli("due").out  # still awaiting their reply
    # the draft crm offers is still one it can write
    monkeypatch.setenv("CRM_TODAY", "2026-12-24")
    assert cli("draft", "søren").code == 0
    # their reply brings the rules back
    assert cli("log", "søren", "--kind", "reply", "--date", "2026-12-24").code == 0
    assert show(cli, "søren")["next_follow_up"] == "2026-12-25"


def test_done_again_on_the_same_contact_is_refused(cli):
    add(cli, "Søren Kjær", ("--kind", "message", "--date", "2026-11-03"))
    assert cli("done", "søren").code == 0
    one_line_refusal(cli("done", "søren"), "nothing is scheduled for Søren Kjær")


def test_done_on_a_first_message_to_someone_introduced_waits_for_the_message(cli):
    add(cli, "Ivan Petrov", ("--kind", "chat", "--date", "2026-11-20", "--notes", "call"))
    assert cli("log", "ivan", "--kind", "intro", "--intro-to", "Jia Song", "--date", "2026-11-24").code == 0
    assert show(cli, "jia")["next_follow_up"] == "2026-11-26"  # first message to Jia
    result = cli("done", "jia")
    assert result.code == 0
    assert "Nothing more is scheduled for Jia Song: once you write, log it (crm log 2 --kind message)" in result.out
    assert show(cli, "jia")["next_follow_up"] is None
    assert cli("log", "jia", "--kind", "message").code == 0
    assert show(cli, "jia")["next_follow_up"] == "2026-12-07"  # the nudge, 7 business days on


@pytest.mark.parametrize(
    ("steps", "template"),
    [
        ([("--kind", "message", "--date", "2026-11-10"), ("--kind", "reply", "--date", "2026-11-12")], "reply"),
        (
            [
                ("--kind", "message", "--date", "2026-11-10"),
                ("--kind", "reply", "--date", "2026-11-12"),
                ("--kind", "message", "--date", "2026-11-13"),
            ],
            "reply",
        ),
        ([("--kind", "chat", "--date", "2026-11-20", "--takeaways", "latency budgets per surface")], "keep-in-touch"),
    ],
    ids=["reply-due", "answered-the-reply", "chatted"],
)
def test_what_done_schedules_next_is_a_follow_up_draft_can_write(cli, me, monkeypatch, steps, template):
    add(cli, "Maya Chen", *steps)
    result = cli("done", "maya")
    assert result.code == 0 and "keep in touch" in result.out
    due = show(cli, "maya")["next_follow_up"]
    monkeypatch.setenv("CRM_TODAY", due)
    drafted = cli("draft", "maya", "--json")
    assert drafted.code == 0, drafted.err
    assert json.loads(drafted.out)["template"] == template


# -- defect 8 --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("when", ["today", "thursday", "thu", "+3d", "tomorrow", "2026-12-06", "Dec 4"])
def test_a_snooze_to_before_the_follow_ups_date_is_refused_and_writes_nothing(cli, db_path, when):
    add(cli, "Maya Chen", ("--kind", "message"))  # nudge due Mon Dec 7
    before = dump(db_path)
    one_line_refusal(
        cli("snooze", "maya", when), "is before the follow-up's date, Mon Dec 7: snooze only moves it later"
    )
    assert dump(db_path) == before


@pytest.mark.parametrize(
    ("when", "due"),
    [("Dec 7", "2026-12-07"), ("Dec 8", "2026-12-08"), ("+2w", "2026-12-10"), ("in 2 weeks", "2026-12-10"),
     ("2 weeks", "2026-12-10"), ("31/12", "2026-12-31")],
)  # fmt: skip
def test_a_snooze_to_the_date_or_later_moves_it(cli, when, due):
    add(cli, "Maya Chen", ("--kind", "message"))
    result = cli("snooze", "maya", when)
    assert result.code == 0, result.err
    assert show(cli, "maya")["next_follow_up"] == due


def test_an_overdue_follow_up_may_be_snoozed_to_today_or_a_weekday_ahead(cli):
    add(cli, "Søren Kjær", ("--kind", "message", "--date", "2026-11-03"))  # due Nov 12
    assert cli("snooze", "søren", "today").code == 0
    assert show(cli, "søren")["next_follow_up"] == "2026-11-26"
    assert cli("snooze", "søren", "thursday").code == 0  # said on a Thursday: next week's
    assert show(cli, "søren")["next_follow_up"] == "2026-12-03"


# -- defect 11 and the dates a tired person types --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "due"),
    [("31/12", "2026-12-31"), ("12/31", "2026-12-31"), ("31.12", "2026-12-31"), ("tmrw", "2026-11-27"),
     ("in 3 days", "2026-11-29"), ("next mon", "2026-11-30"), ("fri", "2026-11-27"), ("a week", "2026-12-03")],
)  # fmt: skip
def test_snooze_reads_tired_dates(cli, when, due):
    add(cli, "Maya Chen")  # nothing scheduled: any date from today on
    result = cli("snooze", "maya", when)
    assert result.code == 0, result.err
    assert show(cli, "maya")["next_follow_up"] == due


@pytest.mark.parametrize(
    ("when", "words"),
    [
        ("+99999d", "'+99999d' is too far ahead: at most 9999 days or weeks"),
        ("next fri", "'next fri' could be Fri Nov 27 or Fri Dec 4: type 'fri' for the first, or the date ('Dec 4')"),
        ("next week", "'next week' names no one day: type a weekday ('mon' is Mon Nov 30), +1w (Thu Dec 3)"),
        ("3.12", "'3.12' could be Mar 12 or Dec 3"),
        ("3/12", "2026-03-12 is in the past"),  # month first, as dateutil reads it
        ("tomorow", "did you mean 'tomorrow'?"),
        ("31/11", "'31/11' is not a real date"),
        ("2 weeks ago", "is in the past"),
    ],
)
def test_snooze_refuses_a_date_it_cannot_be_sure_of_in_one_line(cli, db_path, when, words):
    add(cli, "Maya Chen")
    before = dump(db_path)
    one_line_refusal(cli("snooze", "maya", when), words)
    assert dump(db_path) == before


def test_the_hook_date_31_12_is_accepted(cli):
    assert cli("contact", "add", "Maya Chen").code == 0
    assert cli("hook", "add", "maya", "post on latency", "--date", "31/12/2025").code == 0
    assert show(cli, "maya")["hooks"][0]["date"] == "2025-12-31"


def test_a_promise_at_a_weekday_said_on_that_day_is_next_weeks(cli):
    add(cli, "Maya Chen")
    result = cli("log", "maya", "--kind", "chat", "--notes", "call", "--promise", "send the deck @thu")
    assert result.code == 0, result.err
    assert "send the deck, due Thu Dec 3" in result.out


def test_snooze_help_lists_the_date_forms(cli):
    text = " ".join(cli("snooze", "--help").out.split())
    assert "'in 2 weeks'" in text and "3/12 is March 12: month first" in text and "'thu' is the next Thursday" in text


def test_a_database_scheduled_by_the_old_rule_is_recomputed_when_opened(cli, db_path):
    """A keep-in-touch stored by the old `done` (rules 1) goes at the next command: the rules' version changed."""
    import sqlite3

    add(cli, "Søren Kjær", ("--kind", "message", "--date", "2026-11-03"))
    assert cli("done", "søren").code == 0
    with sqlite3.connect(db_path) as conn:  # as the old rule left it
        conn.execute("UPDATE meta SET value = replace(value, 'rules=2', 'rules=1') WHERE key = 'follow_up_settings'")
        conn.execute(
            "UPDATE contact SET next_follow_up = '2026-12-24', next_follow_up_key = 'keep-done-1',"
            " next_follow_up_reason = 'keep in touch (every 4 weeks; done on Nov 26)'"
        )
    assert json.loads(cli("due", "--days", "60", "--json").out) == []
    assert show(cli, "søren")["next_follow_up"] is None


# -- each option reads a weekday the way it faces (today: Thursday Nov 26) -------------------------------------------


def test_a_chats_date_faces_the_past_and_its_follow_ups_the_future(cli):
    assert cli("contact", "add", "Maya Chen", "--company", "Spotify").code == 0
    result = cli("log", "maya", "--kind", "chat", "--date", "mon", "--notes", "coffee",
                 "--next-step", "send the deck", "--next-step-due", "mon", "--follow-up", "thu")  # fmt: skip
    assert result.code == 0, result.err
    [chat] = show(cli, "maya")["interactions"]
    assert chat["date"] == "2026-11-23"  # the Monday just gone
    assert show(cli, "maya")["next_follow_up"] == "2026-12-03"  # the next Thursday, not today
    assert "due 2026-11-30: send the deck" in cli("contact", "show", "maya").out  # the promise: next Monday


def test_a_hook_dated_by_weekday_is_the_one_just_gone(cli):
    assert cli("contact", "add", "Maya Chen").code == 0
    assert cli("hook", "add", "maya", "talk at the summit", "--date", "tue").code == 0
    assert show(cli, "maya")["hooks"][0]["date"] == "2026-11-24"


def test_stats_since_counts_back(cli):
    assert cli("contact", "add", "Maya Chen").code == 0
    assert cli("log", "maya", "--kind", "message", "--date", "2026-11-10").code == 0
    assert json.loads(cli("stats", "--since", "2 weeks", "--json").out)["since"] == "2026-11-12"  # two weeks ago
    assert json.loads(cli("stats", "--since", "3 weeks ago", "--json").out)["since"] == "2026-11-05"
    assert json.loads(cli("stats", "--since", "mon", "--json").out)["since"] == "2026-11-23"  # the Monday just gone
