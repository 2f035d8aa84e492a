"""The funnel (`crm stats`): contacts by stage, what was logged by kind, reply rate, days to reply, a weekly trend.

Plain SQL aggregates over covering indexes only (migrations 0007 and 0009), no ORM and no pass over the log: counts
by stage and by kind, the reply figures from the credit each reply carries (crm.insights.replies), and the trend as
counts per day. At 10k contacts and 100k interactions `crm stats --json` costs no more than `crm due --json`
(tests/bench/insights.py).

Definitions, each pinned by a test against hand-computed histories:
- **Stages** are today's (as `crm contact list` shows them, dormant after 90 quiet days), for contacts not archived;
  archived ones are counted apart. `--since` does not change them.
- **By kind**: interactions of each kind dated on or after `since` (all time without it), archived contacts included:
  what happened, happened. Messages sent = `message`s, chats = `chat`s, intros = `intro`s, referrals offered =
  `referral`s (logged when offered: the article's students never asked).
- **Reply rate**: of the contacts I first wrote to on or after `since`, the share who replied after my first
  message. A reply counts when a message of mine came before it (it is credited to that message); a reply with no
  message before it (they wrote first) does not.
- **Median days to reply**: over those who replied, the days from my first message to their first reply after it.
- **Trend**: messages, replies and chats per ISO week (Monday to Sunday), the last `weeks` weeks up to this one; with
  `since`, from the week of `since` (at most MAX_WEEKS).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from typing import NamedTuple

from crm.insights.replies import reply_counts
from crm.insights.templates_ab import TemplateStats, template_rows

# As crm.contacts.fields (KINDS, STAGES) and crm.contacts.reads (dormant after 90 quiet days, CAN_GO_DORMANT); importing
# those would cost `crm stats` ~2 ms of start-up (the contact-field dataclasses): a test keeps them equal.
KINDS = ("message", "reply", "chat", "intro", "referral", "note")
STAGES = ("identified", "contacted", "replied", "chatted", "advocate", "dormant")
CAN_GO_DORMANT = ("contacted", "replied", "chatted")
DORMANT_AFTER_DAYS = 90

WEEKS = 8
MAX_WEEKS = 52
BARS = "▁▂▃▄▅▆▇█"

# Stages as stored, counted on the (archived, stage) index of migration 0007; then those of them gone quiet (dormant:
# the same rule as crm.contacts.reads.stage_sql, max(date) < quiet_since, written as "something logged, nothing since").
# One probe of the (contact_id, date) index per open conversation, in contact order, so the probes walk the index
# once: at 10k contacts ~3.0 ms as `crm stats` runs it, against ~3.7 ms asking for max(date) stage by stage.
_STAGES_SQL = "SELECT archived, stage, count(*) FROM contact GROUP BY archived, stage"
_DORMANT_SQL = (
    "SELECT c.stage, count(*) FROM (SELECT id, stage FROM contact WHERE archived = 0 AND stage IN ({stages})"
    " ORDER BY id) AS c"
    " WHERE NOT EXISTS (SELECT 1 FROM interaction AS i WHERE i.contact_id = c.id AND i.date >= :quiet_since)"
    " AND EXISTS (SELECT 1 FROM interaction AS i WHERE i.contact_id = c.id) GROUP BY c.stage"
).format(stages=", ".join(f"'{stage}'" for stage in CAN_GO_DORMANT))

_DORMANT_SQL_PG = _DORMANT_SQL.replace("WHERE archived = 0 AND", "WHERE NOT archived AND")

# Chats, intros and referrals: one index range each; messages and replies come with the reply figures. Notes (most
# rows, and no funnel step): for all time, the rest of the table's count(*), which reads the smallest index.
_COUNTED_KINDS = ("chat", "intro", "referral")
_KINDS_SQL = " UNION ALL ".join(
    f"SELECT '{kind}', count(*) FROM interaction WHERE kind = '{kind}' AND date >= :since"
    for kind in (*_COUNTED_KINDS, "note")
)
_KINDS_ALL_TIME_SQL = " UNION ALL ".join(
    [f"SELECT '{kind}', count(*) FROM interaction WHERE kind = '{kind}'" for kind in _COUNTED_KINDS]
    + ["SELECT '', count(*) FROM interaction"]
)

# The trend: messages, replies and chats per day in its weeks (three ranges of the (kind, date) index of migration
# 0009), put into weeks here, the same way on both engines.
_TREND_SQL = (
    "SELECT kind, date, count(*) FROM interaction WHERE kind IN ('message', 'reply', 'chat')"
    " AND date >= :start AND date < :end GROUP BY kind, date"
)


def week_start(day: dt.date) -> dt.date:
    """The Monday of `day`'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def median(values: list[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def sparkline(values: list[int]) -> str:
    """One bar per value: ▁ for nothing, then ▂ to █ in sevenths of the most (rounded up: any activity shows)."""
    top = max(values, default=0)
    steps = len(BARS) - 1
    return "".join(BARS[0] if v <= 0 else BARS[min(steps, -(-v * steps // top))] for v in values)


class Week(NamedTuple):
    """One week of the trend (a NamedTuple, like crm.outreach.context's rows: cheaper to define at start-up)."""

    start: dt.date  # a Monday
    messages: int
    replies: int
    chats: int

    def as_json(self) -> dict:
        return {
            "week": iso_week(self.start),
            "start": self.start.isoformat(),
            "messages": self.messages,
            "replies": self.replies,
            "chats": self.chats,
        }


class Funnel:
    """Everything `crm stats` shows. A plain class: `crm stats` defines it at start-up, where a frozen dataclass of
    ten fields costs ~0.6 ms more."""

    def __init__(
        self,
        today: dt.date,
        since: dt.date | None,
        by_stage: dict[str, int],  # every stage, contacts not archived
        archived: int,
        by_kind: dict[str, int],  # every kind, on or after `since`
        contacts_messaged: int,  # first written to on or after `since`
        contacts_replied: int,  # ... and replied after that first message
        median_days_to_reply: float | None,  # over those who replied: first message -> first reply
        trend: list[Week],  # oldest first, ending with this week
        templates: list[TemplateStats],
    ) -> None:
        self.today, self.since, self.by_stage, self.archived, self.by_kind = today, since, by_stage, archived, by_kind
        self.contacts_messaged, self.contacts_replied = contacts_messaged, contacts_replied
        self.median_days_to_reply, self.trend, self.templates = median_days_to_reply, trend, templates

    def __eq__(self, other: object) -> bool:
        return type(other) is Funnel and vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]  (mutable, compared by value)

    def __repr__(self) -> str:
        return f"Funnel({', '.join(f'{name}={value!r}' for name, value in vars(self).items())})"

    @property
    def messages_sent(self) -> int:
        return self.by_kind["message"]

    @property
    def chats(self) -> int:
        return self.by_kind["chat"]

    @property
    def intros(self) -> int:
        return self.by_kind["intro"]

    @property
    def referrals(self) -> int:
        return self.by_kind["referral"]

    @property
    def reply_rate(self) -> float | None:
        return self.contacts_replied / self.contacts_messaged if self.contacts_messaged else None

    def series(self, name: str) -> list[int]:
        """'messages', 'replies' or 'chats' per week of the trend, oldest first."""
        return [getattr(week, name) for week in self.trend]

    def as_json(self) -> dict:
        rate = self.reply_rate
        return {
            "today": self.today.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "funnel": {"by_stage": dict(self.by_stage), "by_kind": dict(self.by_kind), "archived": self.archived},
            "messages_sent": self.messages_sent,
            "contacts_messaged": self.contacts_messaged,
            "contacts_replied": self.contacts_replied,
            "reply_rate": None if rate is None else round(rate, 4),
            "median_days_to_reply": self.median_days_to_reply,
            "chats": self.chats,
            "intros": self.intros,
            "referrals": self.referrals,
            "trend": [week.as_json() for week in self.trend],
            "templates": [t.as_json() for t in self.templates],
        }


def trend_start(today: dt.date, since: dt.date | None, weeks: int = WEEKS) -> dt.date:
    """The Monday the trend starts on: `weeks` weeks up to this one, or the week of `since` (at most MAX_WEEKS)."""
    this_week = week_start(today)
    if since is not None:
        weeks = (this_week - week_start(min(since, today))).days // 7 + 1
    weeks = max(1, min(weeks, MAX_WEEKS))
    return this_week - dt.timedelta(weeks=weeks - 1)


def funnel(conn, *, today: dt.date, since: dt.date | None = None, weeks: int = WEEKS) -> Funnel:
    """Everything `crm stats` shows, from `conn` (a DB-API read connection)."""
    by_stage = dict.fromkeys(STAGES, 0)
    archived = 0
    for is_archived, stage, count in conn.execute(_STAGES_SQL):
        if is_archived:
            archived += count
        else:
            by_stage[stage] = by_stage.get(stage, 0) + count
    quiet_since = (today - dt.timedelta(days=DORMANT_AFTER_DAYS)).isoformat()
    postgres = getattr(conn, "dialect", "sqlite") == "postgresql"
    for stage, count in conn.execute(_DORMANT_SQL_PG if postgres else _DORMANT_SQL, {"quiet_since": quiet_since}):
        by_stage[stage] -= count
        by_stage["dormant"] += count

    start = trend_start(today, since, weeks)
    count_weeks = (week_start(today) - start).days // 7 + 1
    found = reply_counts(conn, since=since)
    by_kind = dict.fromkeys(KINDS, 0)
    by_kind.update(message=found.sent, reply=found.replies)
    if since is None:
        counts = dict(conn.execute(_KINDS_ALL_TIME_SQL).fetchall())
        total = counts.pop("")
        by_kind.update(counts)
        by_kind["note"] = total - sum(by_kind.values())  # (and any kind crm does not know)
    else:
        by_kind.update(dict(conn.execute(_KINDS_SQL, {"since": since.isoformat()}).fetchall()))
    # Each week's days are start <= day < its end: the ISO date closing each week (the Monday after it) as bounds.
    ends = [(start + dt.timedelta(weeks=n + 1)).isoformat() for n in range(count_weeks)]
    per_week = {kind: [0] * count_weeks for kind in ("message", "reply", "chat")}
    for kind, day, count in conn.execute(_TREND_SQL, {"start": start.isoformat(), "end": ends[-1]}):
        per_week[kind][bisect_right(ends, day)] += count
    messages, replies, chats = per_week["message"], per_week["reply"], per_week["chat"]
    trend = [Week(start + dt.timedelta(weeks=w), messages[w], replies[w], chats[w]) for w in range(count_weeks)]
    return Funnel(
        today=today,
        since=since,
        by_stage=by_stage,
        archived=archived,
        by_kind=by_kind,
        contacts_messaged=found.messaged,
        contacts_replied=len(found.days_to_reply),
        median_days_to_reply=median(found.days_to_reply),
        trend=trend,
        templates=template_rows(found),
    )
