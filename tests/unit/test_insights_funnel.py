"""`crm stats` numbers (crm.insights.funnel, crm.insights.templates_ab) against histories counted by hand.

`Net` writes a history with raw SQL on a migrated database, so every stage, date and draft is exactly as the test
says; the other test_insights_* files build theirs with it too.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing

import pytest

from crm.insights.funnel import (
    CAN_GO_DORMANT,
    DORMANT_AFTER_DAYS,
    KINDS,
    STAGES,
    funnel,
    iso_week,
    sparkline,
    trend_start,
    week_start,
)
from crm.insights.templates_ab import (
    NO_TEMPLATE,
    TemplateStats,
    beats,
    better,
    template_stats,
    wilson_interval,
)
from tests.conftest import TODAY

D = dt.date.fromisoformat


class Net:
    """A hand-built history, written with raw SQL (autocommit) on a migrated database."""

    def __init__(self, path):
        self.conn = sqlite3.connect(path, isolation_level=None)

    def contact(self, name, *, stage="identified", company=None, team=None, archived=False, source=None,
                introduced_by=None, next_follow_up=None, role=None) -> int:  # fmt: skip
        return self.conn.execute(
            "INSERT INTO contact (name, company, team, role, source, stage, archived, introduced_by_id, next_follow_up,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            (name, company, team, role, source, stage, int(archived), introduced_by, next_follow_up),
        ).lastrowid

    def log(self, contact_id, kind, date, *, notes=None, takeaways=None, next_step=None) -> int:
        return self.conn.execute(
            "INSERT INTO interaction (contact_id, kind, date, notes, takeaways, next_step, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, '2026-01-01 00:00:00')",
            (contact_id, kind, date, notes, takeaways, next_step),
        ).lastrowid

    def send(self, contact_id, template, date, *, question=None) -> int:
        """A message sent from a draft of `template` (as `crm draft --send` stores it)."""
        message = self.log(contact_id, "message", date)
        self.conn.execute(
            "INSERT INTO draft (contact_id, template, text, words, checks, question, sent_on, interaction_id,"
            " created_at) VALUES (?, ?, 'Hi', 1, '{}', ?, ?, ?, '2026-01-01 00:00:00')",
            (contact_id, template, question, date, message),
        )
        return message

    def hook(self, contact_id, text, *, question=None, date=None) -> None:
        self.conn.execute(
            "INSERT INTO hook (contact_id, text, question, date, created_at) VALUES (?, ?, ?, ?, '2026-01-01 00:00:00')",
            (contact_id, text, question, date),
        )


@pytest.fixture
def net(engine, db_path):
    found = Net(db_path)
    with closing(found.conn):
        yield found


@pytest.fixture
def history(net):
    """Seven people; TODAY is Wed 2026-11-25, so 90 quiet days began 2026-08-27.

    Ana   replied    first-message Nov 2 -> reply Nov 5 (3 days); a hand-written message Nov 6
    Ben   contacted  first-message-v2 Nov 10, no reply
    Cal   advocate   first-message-v2 Oct 20 -> reply Oct 21 (1 day); chat Oct 28; intro Nov 12
    Dee   advocate   THEY wrote first (reply Sep 1); my message Sep 2 -> reply Sep 10 (8 days); referral Nov 20
    Eve   contacted  message Jun 1, nothing since: dormant
    Fay   contacted  but archived; message Nov 11, no reply
    Gus   identified a note Nov 24
    """
    ana = net.contact("Ana", stage="replied")
    net.send(ana, "first-message", "2026-11-02")
    net.log(ana, "reply", "2026-11-05")
    net.log(ana, "message", "2026-11-06")
    ben = net.contact("Ben", stage="contacted")
    net.send(ben, "first-message-v2", "2026-11-10")
    cal = net.contact("Cal", stage="advocate")
    net.send(cal, "first-message-v2", "2026-10-20")
    net.log(cal, "reply", "2026-10-21")
    net.log(cal, "chat", "2026-10-28")
    net.log(cal, "intro", "2026-11-12")
    dee = net.contact("Dee", stage="advocate")
    net.log(dee, "reply", "2026-09-01")
    net.log(dee, "message", "2026-09-02")
    net.log(dee, "reply", "2026-09-10")
    net.log(dee, "referral", "2026-11-20")
    eve = net.contact("Eve", stage="contacted")
    net.log(eve, "message", "2026-06-01")
    fay = net.contact("Fay", stage="contacted", archived=True)
    net.log(fay, "message", "2026-11-11")
    gus = net.contact("Gus")
    net.log(gus, "note", "2026-11-24")
    return net


# ---------------------------------------------------------------- Wilson intervals


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (0, 0, 0.0, 1.0),  # nothing sent: nothing known
        (0, 10, 0.0, 0.2775),  # upper bound z²/(n+z²) = 3.8415/13.8415
        (10, 10, 0.7225, 1.0),  # lower bound n/(n+z²)
        (7, 17, 0.2161, 0.6399),  # the "41% (n=17, 21-64%)"
        (1, 2, 0.0945, 0.9055),
        (50, 100, 0.4038, 0.5962),
    ],
)
def test_wilson_interval_known_values(successes, n, low, high):
    got = wilson_interval(successes, n)
    assert got == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_wilson_interval_refuses_impossible_counts():
    for successes, n in ((3, 2), (-1, 4), (0, -1)):
        with pytest.raises(ValueError):
            wilson_interval(successes, n)


def test_labels_round_the_interval_outwards():
    assert TemplateStats("first-message-v2", 17, 7).label() == "first-message-v2 replies 41% (n=17, 21-64%)"
    assert TemplateStats("a", 10, 0).label() == "a replies 0% (n=10, 0-28%)"
    assert TemplateStats("b", 10, 10).label() == "b replies 100% (n=10, 72-100%)"
    assert TemplateStats("c", 0, 0).label() == "c: nothing sent"


def test_template_json_shape_and_rounding():
    assert TemplateStats("first-message-v2", 17, 7).as_json() == {
        "template": "first-message-v2", "sent": 17, "replied": 7, "reply_rate": 0.4118, "ci_low": 0.2161,
        "ci_high": 0.6399,
    }  # fmt: skip
    assert TemplateStats("x", 0, 0).as_json() == {
        "template": "x", "sent": 0, "replied": 0, "reply_rate": None, "ci_low": 0.0, "ci_high": 1.0,
    }  # fmt: skip


def test_a_variant_is_better_only_when_the_intervals_separate():
    strong, weak = TemplateStats("v2", 40, 30), TemplateStats("v1", 40, 8)  # 56-86% vs 10-35%
    assert better(strong, weak) is strong and better(weak, strong) is strong
    close = TemplateStats("v3", 17, 7)  # 21-64%: overlaps both
    assert better(close, strong) is None and better(close, weak) is None
    assert better(strong, TemplateStats("empty", 0, 0)) is None
    assert beats([strong, weak, close]) == {"v2": ["v1"], "v1": [], "v3": []}


# ---------------------------------------------------------------- templates on a history


def test_reply_rate_per_template(history):
    stats = {t.template: t for t in template_stats(history.conn)}
    # (no template): Ana's Nov 6, Dee's Sep 2 (answered Sep 10), Eve's, Fay's. Dee's Sep 1 reply came before any
    # message of mine: it is credited to none.
    assert {name: (t.sent, t.replied) for name, t in stats.items()} == {
        "first-message": (1, 1), "first-message-v2": (2, 1), NO_TEMPLATE: (4, 1),
    }  # fmt: skip
    assert [t.template for t in template_stats(history.conn)] == [NO_TEMPLATE, "first-message-v2", "first-message"]


def test_templates_since_count_messages_sent_from_that_day(history):
    stats = {t.template: (t.sent, t.replied) for t in template_stats(history.conn, since=D("2026-11-01"))}
    assert stats == {"first-message": (1, 1), "first-message-v2": (1, 0), NO_TEMPLATE: (2, 0)}


def test_a_reply_counts_for_the_latest_message_before_it(net):
    zed = net.contact("Zed", stage="replied")
    net.send(zed, "a", "2026-11-02")
    net.log(zed, "reply", "2026-11-03")
    net.send(zed, "b", "2026-11-03")  # my answer, logged after their reply the same day: not the one they answered
    net.send(zed, "c", "2026-11-04")
    net.log(zed, "reply", "2026-11-04")  # logged after my message of the same day: answers it
    net.log(zed, "reply", "2026-11-05")  # a second reply to the same message counts once
    stats = {t.template: (t.sent, t.replied) for t in template_stats(net.conn)}
    assert stats == {"a": (1, 1), "b": (1, 0), "c": (1, 1)}


def test_messages_logged_out_of_date_order_are_ordered_by_date(net):
    amy = net.contact("Amy", stage="replied")
    net.log(amy, "reply", "2026-11-10")
    net.send(amy, "late", "2026-11-08")  # logged after the reply, but dated before it: the reply answers it
    assert [(t.template, t.replied) for t in template_stats(net.conn)] == [("late", 1)]


def test_no_messages_no_templates(net):
    assert template_stats(net.conn) == []


# ---------------------------------------------------------------- the funnel


def test_the_funnel_counted_by_hand(history):
    f = funnel(history.conn, today=TODAY)
    assert f.by_stage == {"identified": 1, "contacted": 1, "replied": 1, "chatted": 0, "advocate": 2, "dormant": 1}
    assert f.archived == 1
    assert f.by_kind == {"message": 7, "reply": 4, "chat": 1, "intro": 1, "referral": 1, "note": 1}
    assert (f.messages_sent, f.chats, f.intros, f.referrals) == (7, 1, 1, 1)
    # Written to: Ana, Ben, Cal, Dee, Eve, Fay (archived, still written to). Replied after: Ana 3 d, Cal 1 d, Dee 8 d.
    assert (f.contacts_messaged, f.contacts_replied, f.reply_rate) == (6, 3, 0.5)
    assert f.median_days_to_reply == 3.0
    assert [t.template for t in f.templates] == [NO_TEMPLATE, "first-message-v2", "first-message"]


def test_the_funnel_since_a_date(history):
    f = funnel(history.conn, today=TODAY, since=D("2026-11-01"))
    assert f.by_stage["dormant"] == 1 and f.archived == 1  # stages are today's whatever --since says
    assert f.by_kind == {"message": 4, "reply": 1, "chat": 0, "intro": 1, "referral": 1, "note": 1}
    # First written to from Nov 1: Ana (Nov 2, replied in 3 days), Ben (Nov 10), Fay (Nov 11).
    assert (f.contacts_messaged, f.contacts_replied, f.median_days_to_reply) == (3, 1, 3.0)
    assert f.as_json()["since"] == "2026-11-01"


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(net):
    for name, gap in (("A", 1), ("B", 2), ("C", 6), ("D", 10)):
        who = net.contact(name, stage="replied")
        net.log(who, "message", "2026-10-01")
        net.log(who, "reply", (D("2026-10-01") + dt.timedelta(days=gap)).isoformat())
    f = funnel(net.conn, today=TODAY)
    assert (f.contacts_messaged, f.contacts_replied, f.median_days_to_reply) == (4, 4, 4.0)


def test_an_empty_network(net):
    f = funnel(net.conn, today=TODAY)
    assert f.by_stage == dict.fromkeys(STAGES, 0) and f.by_kind == dict.fromkeys(KINDS, 0)
    assert (f.reply_rate, f.median_days_to_reply, f.templates) == (None, None, [])
    data = f.as_json()
    assert data["reply_rate"] is None and data["templates"] == [] and len(data["trend"]) == 8


def test_the_week_by_week_trend(history):
    f = funnel(history.conn, today=TODAY)
    assert [w.start for w in f.trend] == [D("2026-10-05") + dt.timedelta(weeks=n) for n in range(8)]
    assert f.series("messages") == [0, 0, 1, 0, 2, 2, 0, 0]  # Cal Oct 20; Ana Nov 2 and 6; Ben Nov 10, Fay Nov 11
    assert f.series("replies") == [0, 0, 1, 0, 1, 0, 0, 0]  # Cal Oct 21; Ana Nov 5
    assert f.series("chats") == [0, 0, 0, 1, 0, 0, 0, 0]  # Cal Oct 28
    assert f.as_json()["trend"][-1] == {
        "week": "2026-W48", "start": "2026-11-23", "messages": 0, "replies": 0, "chats": 0,
    }  # fmt: skip
    assert sparkline(f.series("messages")) == "▁▁▅▁██▁▁"


def test_trend_weeks_follow_since():
    assert trend_start(TODAY, None) == D("2026-10-05")
    assert trend_start(TODAY, D("2026-11-25")) == D("2026-11-23")  # this week only
    assert trend_start(TODAY, D("2026-11-01")) == D("2026-10-26")  # a Sunday: its week began Monday Oct 26
    assert trend_start(TODAY, D("2020-01-01")) == D("2026-11-23") - dt.timedelta(weeks=51)  # at most 52 weeks
    assert week_start(D("2026-11-29")) == D("2026-11-23") and iso_week(D("2026-12-28")) == "2026-W53"


def test_sparkline():
    assert sparkline([]) == ""
    assert sparkline([0, 0, 0]) == "▁▁▁"
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█"
    assert sparkline([100, 1]) == "█▂"  # any activity shows


def test_the_local_constants_match_the_contacts_package():
    from crm.contacts import fields, reads

    assert KINDS == fields.KINDS and STAGES == fields.STAGES
    assert CAN_GO_DORMANT == reads.CAN_GO_DORMANT and DORMANT_AFTER_DAYS == reads.DORMANT_AFTER_DAYS


def test_stages_agree_with_the_contact_list(history):
    """Dormant and archived as `contact list` has them (one rule, crm.contacts.reads.stage_sql)."""
    from collections import Counter

    from crm.contacts.reads import list_contacts

    listed = Counter(row["stage"] for row in list_contacts(history.conn, today=TODAY))
    f = funnel(history.conn, today=TODAY)
    assert {stage: n for stage, n in f.by_stage.items() if n} == dict(listed)
    assert f.archived == len(list_contacts(history.conn, today=TODAY, include_archived=True)) - sum(listed.values())
