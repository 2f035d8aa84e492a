"""`crm due`, `crm done`, `crm snooze`, `crm export ics`, and the settings behind them."""

import json

import pytest
from icalendar import Calendar

from tests.conftest import dump

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)


def due(cli, *args):
    result = cli("due", *args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.fixture
def network(cli):
    """Today is Wed 2026-11-25. Each contact sits in one follow-up situation."""
    steps = [
        ("contact", "add", "Tom Becker", "--company", "SoundCloud"),
        ("log", "tom", "--kind", "message", "--date", "2026-11-06"),  # nudge due Nov 17: overdue
        ("contact", "add", "Lena Fischer", "--company", "Spotify"),
        ("log", "lena", "--kind", "message", "--date", "2026-11-10"),
        ("log", "lena", "--kind", "reply", "--date", "2026-11-25"),  # respond tomorrow (Thu)
        ("contact", "add", "Grace Kim", "--company", "Spotify"),
        ("log", "grace", "--kind", "chat", "--date", "2026-11-24"),  # thank-you due today
        ("contact", "add", "Dan Okafor", "--company", "Spotify", "--cadence", "weekly"),
        ("log", "dan", "--kind", "chat", "--date", "2026-11-01"),
        ("log", "dan", "--kind", "message", "--date", "2026-11-02"),  # weekly: due Nov 9, overdue
        ("contact", "add", "Sofia Alvarez", "--company", "Spotify"),
        ("log", "sofia", "--kind", "message", "--date", "2026-11-23"),  # nudge Dec 2: next week
        ("contact", "add", "Arjun Mehta", "--company", "Spotify"),  # never contacted
    ]
    for step in steps:
        result = cli(*step)
        assert result.code == 0, (step, result.err)


def test_due_week_json_shape_and_order(cli, network):
    items = due(cli)
    assert [(i["name"], i["due"], i["overdue"]) for i in items] == [
        ("Dan Okafor", "2026-11-09", True),
        ("Tom Becker", "2026-11-17", True),
        ("Grace Kim", "2026-11-25", False),
        ("Lena Fischer", "2026-11-26", False),
    ]
    assert set(items[0]) == {"contact_id", "name", "company", "due", "reason", "overdue"}
    assert items[1]["reason"] == "nudge: no reply to your message of Nov 6"
    assert items[1]["company"] == "SoundCloud"
    assert due(cli, "--week") == items


def test_due_days_and_overdue(cli, network):
    assert [i["name"] for i in due(cli, "--overdue")] == ["Dan Okafor", "Tom Becker"]
    assert [i["name"] for i in due(cli, "--days", "0")] == ["Dan Okafor", "Tom Becker", "Grace Kim"]
    assert "Sofia Alvarez" in [i["name"] for i in due(cli, "--days", "7")]
    assert "Sofia Alvarez" not in [i["name"] for i in due(cli, "--days", "6")]


def test_human_due_groups_overdue_first(cli, network):
    out = cli("due").out
    assert out.index("Overdue:") < out.index("Today:") < out.index("Later (to Sun Nov 29)")
    assert "16 days overdue" in out and "8 days overdue" in out
    assert "Awaiting reply:" in out and "Sofia Alvarez (Spotify): messaged Nov 23" in out
    assert cli().out == out  # `crm` alone shows this week until the TUI lands


def test_week_can_start_on_sunday(cli, network, tmp_path, monkeypatch):
    config = tmp_path / "xdg-config" / "crm" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[follow_up]\nweek_start = "sunday"\n')
    monkeypatch.setenv("CRM_TODAY", "2026-11-29")  # a Sunday: the first day of a new week
    names = [i["name"] for i in due(cli)]
    assert "Sofia Alvarez" in names  # Dec 2 is within Sun Nov 29 - Sat Dec 5


def test_changing_settings_recomputes_stored_dates(cli, network, tmp_path):
    config = tmp_path / "xdg-config" / "crm" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[follow_up]\nnudge_business_days = 3\ndefault_cadence = "every 2 weeks"\n')
    items = {i["name"]: i for i in due(cli, "--days", "30")}
    assert items["Sofia Alvarez"]["due"] == "2026-11-26"  # 3 business days after Mon Nov 23
    assert items["Tom Becker"]["due"] == "2026-11-11"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[follow_up]\nnudge_business_days = 0\n", "nudge_business_days"),
        ('[follow_up]\nweek_start = "friday"\n', "week_start"),
        ("[follow_up]\nsurprise = 1\n", "unknown"),
        ("this is not toml", "cannot be read"),
    ],
)
def test_bad_config_is_a_one_line_error(cli, network, tmp_path, db_path, text, message):
    """(A bad default_cadence is the exception: it warns and falls back, see test_hostile_input.py.)"""
    before = dump(db_path)
    config = tmp_path / "xdg-config" / "crm" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(text)
    result = cli("due")
    assert result.code == 2 and message in result.err and len(result.err.splitlines()) == 1
    assert dump(db_path) == before


def test_done_schedules_by_cadence_from_today(cli, network):
    result = cli("done", "tom")  # a nudge Tom never answered: nothing more (no pestering)
    assert result.code == 0
    assert "Nothing more is scheduled for Tom Becker until they reply" in result.out, result.out
    assert "Tom Becker" not in [i["name"] for i in due(cli, "--days", "60")]
    cli("log", "tom", "--kind", "reply")
    assert cli("done", "tom").code == 0
    assert json.loads(cli("contact", "show", "tom", "--json").out)["next_follow_up"] == "2026-12-23"  # 4 weeks on
    assert cli("done", "dan").code == 0
    assert json.loads(cli("contact", "show", "dan", "--json").out)["next_follow_up"] == "2026-12-02"  # weekly


def test_snooze_moves_and_then_lapses_when_answered(cli, network):
    assert cli("snooze", "grace", "+3d").code == 0
    items = {i["name"]: i for i in due(cli, "--days", "14")}
    assert items["Grace Kim"]["due"] == "2026-11-28"
    assert "(snoozed to Nov 28)" in items["Grace Kim"]["reason"]
    cli("log", "grace", "--kind", "message", "--notes", "thank you!")
    shown = json.loads(cli("contact", "show", "grace", "--json").out)
    assert shown["next_follow_up"] == "2026-12-23"
    assert shown["next_follow_up_reason"].startswith("keep in touch")


def test_log_follow_up_wins(cli, network):
    cli("log", "sofia", "--kind", "note", "--follow-up", "2026-11-27", "--next-step", "ask about the Home launch")
    items = {i["name"]: i for i in due(cli)}
    assert items["Sofia Alvarez"]["due"] == "2026-11-27"
    assert items["Sofia Alvarez"]["reason"] == "next step: ask about the Home launch"


def test_archived_contacts_are_never_due(cli, network):
    cli("contact", "archive", "tom")
    assert "Tom Becker" not in [i["name"] for i in due(cli, "--days", "365")]
    cli("contact", "archive", "tom", "--undo")
    assert "Tom Becker" in [i["name"] for i in due(cli)]


def test_intro_schedules_both_sides(cli, network):
    cli("log", "grace", "--kind", "intro", "--intro-to", "Jia Song", "--date", "2026-11-25")
    items = {i["name"]: i for i in due(cli, "--days", "7")}
    assert items["Grace Kim"]["due"] == "2026-11-26"
    assert items["Grace Kim"]["reason"] == "thank Grace for the intro to Jia Song"
    assert items["Jia Song"]["due"] == "2026-11-27"
    assert items["Jia Song"]["reason"] == "first message to Jia Song (introduced by Grace Kim on Nov 25)"


def test_cadence_change_reschedules(cli, network):
    cli("contact", "edit", "dan", "--cadence", "every 6 weeks")
    assert json.loads(cli("contact", "show", "dan", "--json").out)["next_follow_up"] == "2026-12-14"


BAD = [
    (["due", "--days", "-1"], "negative"),
    (["due", "--week", "--overdue"], "choose one of"),
    (["due", "--days", "x"], "valid integer"),
    (["snooze", "grace", "2026-11-01"], "in the past"),
    (["snooze", "grace", "-3d"], "in the past"),
    (["snooze", "grace", "2026-02-30"], "not a real date"),
    (["snooze", "grace", "later"], "not a date I understand"),
    (["snooze", "nobody", "+3d"], "no contact matches"),
    (["done", "arjun"], "nothing is scheduled"),
    (["done", "nobody"], "no contact matches"),
    (["contact", "edit", "dan", "--cadence", "every blue moon"], "not one I understand"),
    (["contact", "edit", "dan", "--cadence", "FREQ=WEEKLY;COUNT=2"], "ends"),
    (["export", "ics", "/nonexistent-folder/x.ics"], "does not exist"),
    (["export", "pdf", "x.pdf"], "cannot export"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_changes_nothing(cli, network, db_path, args, message):
    before = dump(db_path)
    result = cli(*args)
    assert result.code == 2 and message in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1
    assert dump(db_path) == before


def test_done_and_snooze_refuse_archived(cli, network):
    cli("contact", "archive", "grace")
    assert "archived" in cli("done", "grace").err
    assert "archived" in cli("snooze", "grace", "+1d").err


def _todos(path):
    calendar = Calendar.from_ical(path.read_bytes())
    return calendar, list(calendar.walk("VTODO"))


def test_ics_export_is_valid_and_uids_are_stable(cli, network, tmp_path):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert cli("export", "ics", str(first)).code == 0
    raw = first.read_bytes()
    assert b"\r\n" in raw and raw.count(b"\r\n") == raw.count(b"\n")  # CRLF line endings only
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded
    calendar, todos = _todos(first)
    assert calendar["VERSION"] == "2.0" and "crm" in str(calendar["PRODID"])
    scheduled = due(cli, "--days", "3650")
    assert len(todos) == len(scheduled) == 5
    for todo, item in zip(todos, scheduled, strict=True):
        assert todo.decoded("DUE").isoformat() == item["due"]  # a date, not a date-time
        assert todo["DUE"].params.get("VALUE") == "DATE"
        assert item["reason"] in str(todo["SUMMARY"]) and item["reason"] in str(todo["DESCRIPTION"])
        assert todo.get("DTSTAMP") is not None and todo.get("UID")
    assert len({str(t["UID"]) for t in todos}) == len(todos)
    cli("export", "ics", str(second))
    assert [str(t["UID"]) for t in _todos(second)[1]] == [str(t["UID"]) for t in todos]
    # Snoozing keeps a follow-up's UID (calendar apps update it); answering it makes a new one.
    before = {str(t["SUMMARY"]).split(":")[0]: str(t["UID"]) for t in todos}
    cli("snooze", "grace", "+2d")
    cli("export", "ics", str(second))
    after = {str(t["SUMMARY"]).split(":")[0]: str(t["UID"]) for t in _todos(second)[1]}
    assert after["Grace Kim"] == before["Grace Kim"]
    cli("log", "lena", "--kind", "message")
    cli("export", "ics", str(second))
    after = {str(t["SUMMARY"]).split(":")[0]: str(t["UID"]) for t in _todos(second)[1]}
    assert after["Lena Fischer"] != before["Lena Fischer"]


TODAYS = [
    # today, reply date -> respond due the next day; in this week's list? overdue?
    ("2026-11-25", "2026-11-20", True, True),  # mid-week: last Saturday's due date is overdue
    ("2026-11-23", "2026-11-22", True, False),  # Monday: due today, the first day of the week
    ("2026-11-23", "2026-11-21", True, True),  # Monday: due yesterday (last week) is overdue
    ("2026-11-29", "2026-11-28", True, False),  # Sunday: due today, the last day of the week
    ("2026-11-29", "2026-11-29", False, False),  # Sunday: due Monday, next week
    ("2026-12-31", "2026-12-31", True, False),  # year end: due Jan 1, same Mon-Sun week
    ("2026-04-30", "2026-04-30", True, False),  # month end
    ("2028-02-28", "2028-02-28", True, False),  # due on leap day
    ("2028-02-29", "2028-02-27", True, True),  # leap day: Feb 28 is overdue
    ("2026-03-08", "2026-03-07", True, False),  # US DST starts (a Sunday)
    ("2026-10-25", "2026-10-24", True, False),  # EU DST ends (a Sunday)
]


@pytest.mark.parametrize(("today", "replied", "this_week", "overdue"), TODAYS)
def test_this_week_at_the_edges_of_the_calendar(cli, monkeypatch, today, replied, this_week, overdue):
    monkeypatch.setenv("CRM_TODAY", replied)
    cli("contact", "add", "Lena Fischer")
    assert cli("log", "lena", "--kind", "reply", "--date", replied).code == 0
    monkeypatch.setenv("CRM_TODAY", today)
    items = due(cli)
    assert bool(items) == this_week
    if items:
        assert items[0]["overdue"] == overdue
        assert items[0]["reason"].startswith("respond to Lena's reply")
    assert [i["name"] for i in due(cli, "--overdue")] == (["Lena Fischer"] if overdue else [])


def test_a_snooze_that_lands_on_a_weekend_says_so_and_names_the_monday(cli, network):
    saturday = cli("snooze", "grace", "+3d")  # today is Wed Nov 25
    assert saturday.code == 0
    assert "That is a Saturday; for Mon Nov 30 instead: crm snooze grace 2026-11-30" in saturday.out
    assert {i["name"]: i for i in due(cli, "--days", "14")}["Grace Kim"]["due"] == "2026-11-28"  # as asked
    friday = cli("snooze", "grace", "+2d")
    assert "instead" not in friday.out
