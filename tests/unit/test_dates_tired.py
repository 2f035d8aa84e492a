"""Dates a tired person types (brief H): which way a date faces, the short forms, and the one-line refusals.

Today is Thursday 2026-11-26 throughout: a weekday name said on its own day is where the direction matters most.
"""

import datetime as dt

import pytest

from crm.dates import parse_date
from crm.errors import CrmError
from crm.followups.cadence import parse_cadence
from crm.followups.rules import Done, Event, Introduction, next_follow_up, template_for_due
from crm.followups.writes import validate_snooze

THU = dt.date(2026, 11, 26)
D = dt.date


def days(n: int) -> dt.date:
    return THU + dt.timedelta(days=n)


# (text, None-facing, future-facing, past-facing): a date, or the words the refusal must contain
PHRASES = [
    ("today", THU, THU, THU),
    ("tomorrow", days(1), days(1), days(1)),
    ("tmrw", days(1), days(1), days(1)),
    ("TMR", days(1), days(1), days(1)),
    ("yesterday", days(-1), days(-1), days(-1)),
    ("+3d", days(3), days(3), days(3)),
    ("+2w", days(14), days(14), days(14)),
    ("+3 days", days(3), days(3), days(3)),
    ("+1 week", days(7), days(7), days(7)),
    ("-2w", days(-14), days(-14), days(-14)),
    ("in 3 days", days(3), days(3), days(3)),
    ("in 2 weeks", days(14), days(14), days(14)),
    ("in a week", days(7), days(7), days(7)),
    ("In  One  Week", days(7), days(7), days(7)),
    ("2 weeks ago", days(-14), days(-14), days(-14)),
    ("a week ago", days(-7), days(-7), days(-7)),
    # a bare count: the way the date faces, or a question when no way is known
    ("2 weeks", "ahead or back? 'in 2 weeks' (+2w, Thu Dec 10) or '2 weeks ago' (-2w, Thu Nov 12)", days(14), days(-14)),
    ("3d", "ahead or back?", days(3), days(-3)),
    ("a week", "ahead or back?", days(7), days(-7)),
    # weekdays: on a Thursday, "thu" ahead is next week's, behind last week's; with no direction, today (dateutil's)
    ("thursday", THU, days(7), days(-7)),
    ("thu", THU, days(7), days(-7)),
    ("Thurs", THU, days(7), days(-7)),
    ("fri", days(1), days(1), days(-6)),
    ("mon", days(4), days(4), days(-3)),
    ("this thu", THU, THU, THU),  # this week's, whichever way it lies
    ("this mon", days(-3), days(-3), days(-3)),
    ("this fri", days(1), days(1), days(1)),
    ("last fri", days(-6), days(-6), days(-6)),
    ("last thu", days(-7), days(-7), days(-7)),
    ("next thu", days(7), days(7), days(7)),  # the coming Thursday is next week's: one reading
    ("next mon", days(4), days(4), days(4)),
    ("next fri", "could be Fri Nov 27 or Fri Dec 4", "could be Fri Nov 27 or Fri Dec 4", "could be"),
    ("next sunday", "could be Sun Nov 29 or Sun Dec 6", "could be", "could be"),
    ("next week", "names no one day: type a weekday ('mon' is Mon Nov 30), +1w (Thu Dec 3)", "names no one day",
     "names no one day"),
    ("last week", "('last mon' is Mon Nov 23), -1w (Thu Nov 19)", "names no one day", "names no one day"),
    ("end of month", "names no one day", "names no one day", "names no one day"),
    ("eow", "names no one day", "names no one day", "names no one day"),
    # figures: the one reading that makes a date, else month first; dots (day first in Europe) must be sure
    ("31/12", D(2026, 12, 31), D(2026, 12, 31), D(2026, 12, 31)),
    ("12/31", D(2026, 12, 31), D(2026, 12, 31), D(2026, 12, 31)),
    ("3/12", D(2026, 3, 12), D(2026, 3, 12), D(2026, 3, 12)),
    ("13/12", D(2026, 12, 13), D(2026, 12, 13), D(2026, 12, 13)),
    ("31-12", D(2026, 12, 31), D(2026, 12, 31), D(2026, 12, 31)),
    ("31.12", D(2026, 12, 31), D(2026, 12, 31), D(2026, 12, 31)),
    ("31/12/2027", D(2027, 12, 31), D(2027, 12, 31), D(2027, 12, 31)),
    ("31/12/27", D(2027, 12, 31), D(2027, 12, 31), D(2027, 12, 31)),
    ("12/31/80", D(1980, 12, 31), D(1980, 12, 31), D(1980, 12, 31)),  # two figures: within 50 years, as dateutil
    ("3.12", "could be Mar 12 or Dec 3", "could be Mar 12 or Dec 3", "could be Mar 12 or Dec 3"),
    ("3.12.2026", "could be Mar 12 or Dec 3", "could be", "could be"),
    ("32/12", "not a real date", "not a real date", "not a real date"),
    ("31/11", "not a real date", "not a real date", "not a real date"),
    ("13/13", "not a real date", "not a real date", "not a real date"),
    ("0/5", "not a real date", "not a real date", "not a real date"),
    # too far, typos and nonsense
    ("+99999d", "'+99999d' is too far ahead: at most 9999 days or weeks", "too far ahead", "too far ahead"),
    ("-99999w", "'-99999w' is too far back", "too far back", "too far back"),
    ("in 123456 days", "too far ahead", "too far ahead", "too far ahead"),
    ("Dec 31 3000", "out of range: crm keeps dates from 1900-01-01 to 2999-12-31", "out of range", "out of range"),
    ("tomorow", "did you mean 'tomorrow'?", "did you mean 'tomorrow'?", "did you mean 'tomorrow'?"),
    ("thursdy", "did you mean 'thursday'?", "did you mean", "did you mean"),
    ("+2 weeks ago", "says two directions", "says two directions", "says two directions"),
    ("in 2 weeks ago", "says two directions", "says two directions", "says two directions"),
    ("soon", "not a date I understand", "not a date I understand", "not a date I understand"),
    ("next", "not a date I understand", "not a date I understand", "not a date I understand"),
    ("next thursday-ish", "not a date I understand", "not a date I understand", "not a date I understand"),
]  # fmt: skip


@pytest.mark.parametrize("facing", [None, "future", "past"])
@pytest.mark.parametrize(("text", "plain", "ahead", "behind"), PHRASES, ids=[p[0] for p in PHRASES])
def test_each_phrase_reads_one_way_or_is_refused_in_one_line(text, plain, ahead, behind, facing):
    expected = {None: plain, "future": ahead, "past": behind}[facing]
    if isinstance(expected, dt.date):
        assert parse_date(text, today=THU, facing=facing) == expected
    else:
        with pytest.raises(CrmError) as info:
            parse_date(text, today=THU, facing=facing)
        message = str(info.value)
        assert expected in message and "\n" not in message


def test_a_weekday_ahead_is_never_today_and_behind_never_today_on_any_day():
    for offset in range(7):
        today = THU + dt.timedelta(days=offset)
        for name in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
            ahead = parse_date(name, today=today, facing="future")
            behind = parse_date(name, today=today, facing="past")
            assert 1 <= (ahead - today).days <= 7 and ahead.strftime("%a").lower() == name
            assert 1 <= (today - behind).days <= 7 and behind.strftime("%a").lower() == name
            plain = parse_date(name, today=today)  # as before: today or the next one
            assert 0 <= (plain - today).days <= 6


def test_next_weekday_is_refused_only_when_it_could_be_this_weeks():
    monday = D(2026, 11, 23)
    assert parse_date("next mon", today=monday) == D(2026, 11, 30)  # the coming Monday is next week's
    with pytest.raises(CrmError, match="could be Thu Nov 26 or Thu Dec 3"):
        parse_date("next thursday", today=monday)
    sunday = D(2026, 11, 29)  # the coming days are all next week's: one reading each
    assert parse_date("next fri", today=sunday) == D(2026, 12, 4)


def test_the_help_says_slashes_are_month_first():
    with pytest.raises(CrmError) as info:
        parse_date("whenever", today=THU)
    assert "31/12 (3/12 is March 12: month first)" in str(info.value)


def test_relative_counts_keep_their_old_limit_and_direction():
    assert parse_date("+9999d", today=THU) == THU + dt.timedelta(days=9999)
    assert parse_date("-9999d", today=THU) == THU - dt.timedelta(days=9999)
    with pytest.raises(CrmError, match="too far ahead"):
        parse_date("+10000d", today=THU)


# -- defect 5: done on a first message or a nudge to someone who never answered -------------------------------------

CADENCE = parse_cadence(None)


def ev(n, kind, day):
    return Event(n, kind, day)


@pytest.mark.parametrize(
    ("history", "introduced", "expected"),
    [
        ([ev(1, "message", D(2026, 11, 3))], None, None),  # done on the nudge: wait for them
        ([ev(1, "message", D(2026, 11, 3)), ev(2, "note", D(2026, 11, 20))], None, None),
        ([ev(1, "message", D(2026, 11, 3)), ev(2, "message", D(2026, 11, 13))], None, None),
        ([], Introduction(7, "Ivan Petrov", D(2026, 11, 24)), None),  # done on the first message to B
        ([ev(1, "message", D(2026, 11, 3)), ev(2, "reply", D(2026, 11, 5))], None, D(2026, 12, 24)),
        ([ev(1, "chat", D(2026, 11, 3))], None, D(2026, 12, 24)),
    ],
    ids=["nudge", "nudge-then-note", "after-the-nudge", "introduced", "replied", "chatted"],
)
def test_done_keeps_in_touch_only_with_someone_who_answered(history, introduced, expected):
    result = next_follow_up(
        "Søren Kjær",
        history,
        cadence=CADENCE,
        introduced=introduced,
        done=Done(THU, max([introduced.id if introduced else 0, *(e.id for e in history)])),  # as mark_done
    )
    assert (result.due if result else None) == expected
    if result is not None:
        assert result.reason.startswith("keep in touch")


def test_after_done_their_reply_or_my_first_message_schedules_again():
    done = Done(THU, 1)
    replied = [ev(1, "message", D(2026, 11, 3)), ev(2, "reply", D(2026, 11, 27))]
    assert next_follow_up("Søren Kjær", replied, cadence=CADENCE, done=done).key == "reply-2"
    intro = Introduction(1, "Ivan Petrov", D(2026, 11, 24))
    wrote = [ev(5, "message", D(2026, 11, 27))]
    assert next_follow_up("Søren Kjær", wrote, cadence=CADENCE, introduced=intro, done=done).key == "nudge-5"


@pytest.mark.parametrize(
    ("key", "stage", "template"),
    [
        ("keep-3", "replied", "reply"),  # replied, never chatted: keep-in-touch has no chat to report back on
        ("keep-done-3", "replied", "reply"),
        ("set-3", "replied", "reply"),
        ("keep-3", "chatted", "keep-in-touch"),
        ("keep-done-3", "advocate", "keep-in-touch"),
        ("nudge-1", "contacted", "nudge"),
        ("reply-2", "replied", "reply"),
        (None, "contacted", "nudge"),
    ],
)
def test_the_template_for_what_is_due_is_one_draft_can_write(key, stage, template):
    assert template_for_due(key, stage) == template


# -- defect 8: a snooze moves a follow-up later ----------------------------------------------------------------------


def test_a_snooze_before_the_follow_ups_date_is_refused_naming_it():
    due = D(2026, 12, 7)
    with pytest.raises(CrmError) as info:
        validate_snooze(THU, today=THU, due=due)
    assert str(info.value) == "2026-11-26 is before the follow-up's date, Mon Dec 7: snooze only moves it later"
    assert validate_snooze(due, today=THU, due=due) == due
    assert validate_snooze(days(30), today=THU, due=due) == days(30)
    overdue = D(2026, 11, 12)
    assert validate_snooze(THU, today=THU, due=overdue) == THU  # an overdue one may move to today
    with pytest.raises(CrmError, match="is in the past"):
        validate_snooze(days(-1), today=THU, due=overdue)
