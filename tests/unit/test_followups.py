"""The follow-up rules, one row per situation, with dates chosen at the edges of weeks, months and years."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm.dates import week_bounds
from crm.followups.cadence import parse_cadence
from crm.followups.rules import (
    Done,
    Event,
    Explicit,
    Introduction,
    add_business_days,
    from_history,
    next_follow_up,
)

D = dt.date
DEFAULT = parse_cadence(None)


def ev(n, kind, day, intro_to=None):
    return Event(n, kind, day, intro_to)


RULES = [
    # (id, history, extra kwargs, expected due, words in the reason)
    ("nothing logged: nothing due", [], {}, None, None),
    ("a note alone: nothing due", [ev(1, "note", D(2026, 11, 2))], {}, None, None),
    ("3B7 nudge mid-week", [ev(1, "message", D(2026, 11, 18))], {}, D(2026, 11, 27), "nudge: no reply to your message of Nov 18"),
    ("3B7 nudge from a Monday", [ev(1, "message", D(2026, 11, 16))], {}, D(2026, 11, 25), "nudge"),
    ("3B7 nudge from a Friday", [ev(1, "message", D(2026, 11, 20))], {}, D(2026, 12, 1), "nudge"),
    ("3B7 from a Saturday counts from Monday", [ev(1, "message", D(2026, 11, 21))], {}, D(2026, 12, 1), "nudge"),
    ("3B7 from a Sunday", [ev(1, "message", D(2026, 11, 22))], {}, D(2026, 12, 1), "nudge"),
    ("3B7 across the year end", [ev(1, "message", D(2026, 12, 28))], {}, D(2027, 1, 6), "Dec 28"),
    ("3B7 across a leap day", [ev(1, "message", D(2028, 2, 25))], {}, D(2028, 3, 7), "nudge"),
    ("3B7 across US DST start", [ev(1, "message", D(2026, 3, 6))], {}, D(2026, 3, 17), "nudge"),
    ("3B7 across EU DST end", [ev(1, "message", D(2026, 10, 23))], {}, D(2026, 11, 3), "nudge"),
    ("custom nudge delay", [ev(1, "message", D(2026, 11, 18))], {"nudge_business_days": 3}, D(2026, 11, 23), "nudge"),
    ("one nudge sent, still silent: no pestering",
     [ev(1, "message", D(2026, 11, 2)), ev(2, "message", D(2026, 11, 11))], {}, None, None),
    ("a note after the nudge changes nothing",
     [ev(1, "message", D(2026, 11, 2)), ev(2, "message", D(2026, 11, 11)), ev(3, "note", D(2026, 11, 20))], {}, None, None),
    ("reply: respond the next day",
     [ev(1, "message", D(2026, 11, 2)), ev(2, "reply", D(2026, 11, 30))], {}, D(2026, 12, 1), "respond to Maya's reply of Nov 30"),
    ("reply on New Year's Eve", [ev(1, "reply", D(2026, 12, 31))], {}, D(2027, 1, 1), "respond"),
    ("reply on Feb 28 of a leap year", [ev(1, "reply", D(2028, 2, 28))], {}, D(2028, 2, 29), "respond"),
    ("my response to the reply: keep in touch by cadence",
     [ev(1, "message", D(2026, 11, 2)), ev(2, "reply", D(2026, 11, 3)), ev(3, "message", D(2026, 11, 4))],
     {}, D(2026, 12, 2), "keep in touch (every 4 weeks; last message on Nov 4)"),
    ("chat: thank-you the next day", [ev(1, "chat", D(2026, 11, 20))], {}, D(2026, 11, 21), "thank Maya for the chat on Nov 20"),
    ("thank-you sent: keep in touch every 4 weeks",
     [ev(1, "chat", D(2026, 11, 20)), ev(2, "message", D(2026, 11, 21))], {}, D(2026, 12, 19), "keep in touch"),
    ("anything logged resets the clock",
     [ev(1, "chat", D(2026, 11, 20)), ev(2, "message", D(2026, 11, 21)), ev(3, "note", D(2026, 12, 1))],
     {}, D(2026, 12, 29), "last note on Dec 1"),
    ("contact cadence monthly from Jan 31 (month end clamps)",
     [ev(1, "chat", D(2026, 1, 30)), ev(2, "message", D(2026, 1, 31))], {"cadence": parse_cadence("monthly")},
     D(2026, 2, 28), "monthly"),
    ("quarterly cadence", [ev(1, "chat", D(2026, 11, 1)), ev(2, "message", D(2026, 11, 2))],
     {"cadence": parse_cadence("quarterly")}, D(2027, 2, 2), "quarterly"),
    ("RRULE cadence", [ev(1, "chat", D(2026, 11, 1)), ev(2, "message", D(2026, 11, 2))],
     {"cadence": parse_cadence("FREQ=MONTHLY;BYMONTHDAY=1")}, D(2026, 12, 1), "keep in touch"),
    ("intro from A: thank A the next day",
     [ev(1, "chat", D(2026, 11, 10)), ev(2, "message", D(2026, 11, 11)), ev(3, "intro", D(2026, 11, 24), "Jia Song")],
     {}, D(2026, 11, 25), "thank Maya for the intro to Jia Song"),
    ("referral: thank them the next day", [ev(1, "referral", D(2026, 11, 24))], {}, D(2026, 11, 25), "thank Maya for the referral"),
    ("introduced to B: first message in 2 days", [], {"introduced": Introduction(7, "Ivan Petrov", D(2026, 11, 24))},
     D(2026, 11, 26), "first message to Maya Chen (introduced by Ivan Petrov on Nov 24)"),
    ("introduced and messaged: the nudge rule takes over",
     [ev(9, "message", D(2026, 11, 26))], {"introduced": Introduction(7, "Ivan Petrov", D(2026, 11, 24))},
     D(2026, 12, 7), "nudge"),
    ("explicit date wins over the rule",
     [ev(1, "message", D(2026, 11, 18))], {"explicit": Explicit(D(2026, 12, 15), 1, "next step: send the deck")},
     D(2026, 12, 15), "next step: send the deck"),
    ("explicit date may be earlier than the rule",
     [ev(1, "chat", D(2026, 11, 18)), ev(2, "message", D(2026, 11, 19))], {"explicit": Explicit(D(2026, 11, 20), 2)},
     D(2026, 11, 20), "the date you set"),
    ("explicit date survives my own thank-you before it",
     [ev(1, "chat", D(2026, 11, 18)), ev(2, "message", D(2026, 11, 19))], {"explicit": Explicit(D(2026, 12, 10), 1, "next step: x")},
     D(2026, 12, 10), "next step: x"),
    ("explicit date lapses when they reply",
     [ev(1, "message", D(2026, 11, 2)), ev(2, "reply", D(2026, 11, 5))], {"explicit": Explicit(D(2026, 12, 10), 1)},
     D(2026, 11, 6), "respond"),
    ("explicit date lapses once I write on or after it",
     [ev(1, "chat", D(2026, 11, 2)), ev(2, "message", D(2026, 12, 10))], {"explicit": Explicit(D(2026, 12, 10), 1)},
     D(2027, 1, 7), "keep in touch"),
    ("a snooze moves the follow-up it was made for",
     [ev(1, "reply", D(2026, 11, 20))], {"explicit": Explicit(D(2026, 11, 28), 1, "snoozed to Nov 28", key="reply-1")},
     D(2026, 11, 28), "respond to Maya's reply of Nov 20 (snoozed to Nov 28)"),
    ("a snooze lapses once that follow-up is answered",
     [ev(1, "reply", D(2026, 11, 20)), ev(2, "message", D(2026, 11, 22))],
     {"explicit": Explicit(D(2026, 11, 28), 1, "snoozed", key="reply-1")}, D(2026, 12, 20), "keep in touch"),
    ("done: next by cadence from the day it was done",
     [ev(1, "message", D(2026, 11, 2)), ev(2, "reply", D(2026, 11, 3))], {"done": Done(D(2026, 11, 25), 2)},
     D(2026, 12, 23), "done on Nov 25"),
    ("done on a nudge they never answered: nothing more (no pestering)",
     [ev(1, "message", D(2026, 11, 2))], {"done": Done(D(2026, 11, 25), 1)}, None, None),
    ("done, then they reply: respond again",
     [ev(1, "message", D(2026, 11, 2)), ev(2, "reply", D(2026, 11, 26))], {"done": Done(D(2026, 11, 25), 1)},
     D(2026, 11, 27), "respond"),
    ("done, then a back-dated note: still done",
     [ev(1, "message", D(2026, 11, 2)), ev(2, "reply", D(2026, 11, 3)), ev(3, "note", D(2026, 11, 20))],
     {"done": Done(D(2026, 11, 25), 2)}, D(2026, 12, 23), "done on Nov 25"),
    ("archived: never due", [ev(1, "reply", D(2026, 11, 20))], {"archived": True}, None, None),
    ("archived beats an explicit date", [], {"archived": True, "explicit": Explicit(D(2026, 12, 1), 0)}, None, None),
]  # fmt: skip


@pytest.mark.parametrize(("history", "extra", "due", "reason"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_rules(history, extra, due, reason):
    extra = {"cadence": DEFAULT, **extra}
    result = next_follow_up("Maya Chen", history, **extra)
    if due is None:
        assert result is None
    else:
        assert result is not None
        assert result.due == due
        assert reason in result.reason


def test_follow_up_keys_are_stable_and_distinct():
    history = [ev(4, "chat", D(2026, 11, 20))]
    first = next_follow_up("Maya Chen", history, cadence=DEFAULT)
    again = next_follow_up("Maya Chen", list(history), cadence=DEFAULT)
    later = next_follow_up("Maya Chen", [*history, ev(5, "message", D(2026, 11, 21))], cadence=DEFAULT)
    assert first.key == again.key
    assert later.key != first.key


WEEKS = [
    # today, week start, expected (first, last)
    (D(2026, 11, 25), "monday", (D(2026, 11, 23), D(2026, 11, 29))),  # mid-week
    (D(2026, 11, 23), "monday", (D(2026, 11, 23), D(2026, 11, 29))),  # Monday
    (D(2026, 11, 29), "monday", (D(2026, 11, 23), D(2026, 11, 29))),  # Sunday ends the week
    (D(2026, 11, 29), "sunday", (D(2026, 11, 29), D(2026, 12, 5))),  # ...or starts it
    (D(2026, 11, 28), "sunday", (D(2026, 11, 22), D(2026, 11, 28))),
    (D(2026, 12, 31), "monday", (D(2026, 12, 28), D(2027, 1, 3))),  # year end
    (D(2026, 4, 30), "monday", (D(2026, 4, 27), D(2026, 5, 3))),  # month end
    (D(2028, 2, 29), "monday", (D(2028, 2, 28), D(2028, 3, 5))),  # leap day
    (D(2026, 3, 8), "monday", (D(2026, 3, 2), D(2026, 3, 8))),  # US DST starts
]


@pytest.mark.parametrize(("today", "start", "expected"), WEEKS)
def test_week_bounds(today, start, expected):
    assert week_bounds(today, week_start=start) == expected


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)), st.integers(min_value=1, max_value=30))
def test_business_days_land_on_weekdays_after_start(start, days):
    due = add_business_days(start, days)
    assert due > start and due.weekday() < 5
    between = [start + dt.timedelta(days=n) for n in range(1, (due - start).days + 1)]
    assert sum(1 for d in between if d.weekday() < 5) == days


KINDS = st.sampled_from(["message", "reply", "chat", "intro", "referral", "note"])


@st.composite
def histories(draw):
    start = draw(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 1, 1)))
    count = draw(st.integers(min_value=0, max_value=8))
    offsets = sorted(draw(st.lists(st.integers(min_value=0, max_value=400), min_size=count, max_size=count)))
    return [Event(n + 1, draw(KINDS), start + dt.timedelta(days=off)) for n, off in enumerate(offsets)]


CADENCES = st.sampled_from(
    ["weekly", "every 2 weeks", "monthly", "quarterly", "every 10 days", "FREQ=WEEKLY;INTERVAL=3"]
)


@given(histories(), CADENCES, st.integers(min_value=1, max_value=15))
def test_a_rule_date_is_never_before_the_interaction_it_follows(history, cadence, nudge):
    result, trigger_id = from_history("Maya Chen", history, cadence=parse_cadence(cadence), nudge_business_days=nudge)
    if result is None:
        return
    trigger = next(e for e in history if e.id == trigger_id)
    assert result.due > trigger.date
    if result.key.startswith("keep-"):  # keep-in-touch counts from the newest interaction of any kind
        assert result.due > max(e.date for e in history)
    assert result == next_follow_up("Maya Chen", history, cadence=parse_cadence(cadence), nudge_business_days=nudge)


@given(histories(), st.dates(min_value=D(2020, 1, 1), max_value=D(2032, 1, 1)))
def test_an_explicit_date_is_honoured_until_something_newer_happens(history, chosen):
    after = max((e.id for e in history), default=0)
    result = next_follow_up("Maya Chen", history, cadence=DEFAULT, explicit=Explicit(chosen, after))
    assert result is not None and result.due == chosen


def test_due_reads_the_next_follow_up_index_not_every_live_contact(tmp_path):
    """`archived = 0` is an equality on the (archived, stage) index, which SQLite's planner prefers: it then reads
    every live contact (47 ms at 100k) instead of the few due (9 ms). The query must range-scan next_follow_up."""
    import datetime as dt
    import sqlite3

    from crm.followups.reads import due_items
    from crm.store.store import Store

    path = tmp_path / "crm.db"
    Store(path).open().close()
    conn = sqlite3.connect(path)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    due_items(conn, today=dt.date(2026, 11, 25), through=dt.date(2026, 11, 29))
    conn.set_trace_callback(None)
    query = next(s for s in statements if s.lstrip().upper().startswith("SELECT") and "next_follow_up_key" in s)
    plan = " ".join(str(row[3]) for row in conn.execute("EXPLAIN QUERY PLAN " + query))
    conn.close()
    assert "ix_contact_next_follow_up" in plan, plan
