"""Who replied to what: the credit each reply carries, read back as counts for the reply rate and the A/B figures.

A reply is credited to the latest message I sent that contact before it: by date, then by the order they were
logged, so my answer logged after their reply on the same day does not take the credit for it. A reply with no
message of mine before it (they wrote first) is credited to nothing. A message "is answered" when at least one reply
is credited to it, so answered <= sent.

The credit is stored on the reply row (migration 0009): `replies_to_id`, the message credited, and on each contact's
first credited reply `days_to_reply`, the days since my first message to them. The migration's triggers recompute
both for the contacts a write touches, in its transaction, whoever writes (crm's commands, the app, a restore, a raw
SQL import), so reading them is three aggregate queries over indexes, with no pass over the log: at 100k interactions
(~14k messages, ~6k replies) 1.6 ms warm, 2.4 ms as `crm stats` runs it (first query of the process). Reading every
message and reply in order to credit them at each run took ~11 ms (Python), and crediting each reply with a
correlated SQL lookup at each run 13-17 ms.
"""

from __future__ import annotations

import datetime as dt

# Messages sent, contacts first written to, replies received, messages answered (one row, in ReplyCounts' order): all
# time (one scan of the messages' part of ix_interaction_kind_contact_date, then ix_interaction_replies_to_id), or
# on or after :since (ranges of ix_interaction_kind_date, an index probe per message sent since).
_COUNTS_ALL_TIME_SQL = (
    "SELECT coalesce(sum(sent), 0), count(*),"
    " (SELECT count(*) FROM interaction WHERE kind = 'reply'),"
    " (SELECT count(DISTINCT replies_to_id) FROM interaction WHERE replies_to_id IS NOT NULL)"
    " FROM (SELECT count(*) AS sent FROM interaction WHERE kind = 'message' GROUP BY contact_id) AS per_contact"
)
_COUNTS_SQL = (
    "SELECT count(*),"
    " (SELECT count(*) FROM (SELECT min(date) AS first FROM interaction WHERE kind = 'message'"
    " GROUP BY contact_id) AS f WHERE f.first >= :since),"
    " (SELECT count(*) FROM interaction WHERE kind = 'reply' AND date >= :since),"
    " count(CASE WHEN EXISTS (SELECT 1 FROM interaction AS r WHERE r.replies_to_id = m.id) THEN 1 END)"
    " FROM interaction AS m WHERE m.kind = 'message' AND m.date >= :since"
)
# Days to reply, one per contact who replied (ix_interaction_days_to_reply); with :since, of the contacts first
# written to from then on (their first message was `days_to_reply` days before the reply).
_DAYS_ALL_TIME_SQL = "SELECT days_to_reply FROM interaction WHERE days_to_reply IS NOT NULL"
_DAYS_SQL = _DAYS_ALL_TIME_SQL + " AND date(date, '-' || days_to_reply || ' days') >= :since"
_DAYS_SQL_PG = _DAYS_ALL_TIME_SQL + " AND date - days_to_reply >= CAST(:since AS date)"
# Per template: messages sent from its drafts (the newest draft, should a message somehow have two), and answered.
_TEMPLATES_SQL = (
    "SELECT d.template, count(*),"
    " sum(CASE WHEN EXISTS (SELECT 1 FROM interaction AS r WHERE r.replies_to_id = m.id) THEN 1 ELSE 0 END)"
    " FROM (SELECT interaction_id, max(id) AS id FROM draft WHERE interaction_id IS NOT NULL"
    " GROUP BY interaction_id) AS newest"
    " JOIN draft AS d ON d.id = newest.id JOIN interaction AS m ON m.id = newest.interaction_id"
    " WHERE m.kind = 'message'{since} GROUP BY d.template"
)


class ReplyCounts:
    """Messages sent (and contacts first written to) on or after `since`, and what their replies were.

    A plain class rather than a dataclass: it is internal, and `crm stats` pays for every class it defines at start-up.
    """

    __slots__ = ("sent", "answered", "replies", "messaged", "days_to_reply", "by_template")

    def __init__(self, sent: int, messaged: int, replies: int, answered: int) -> None:
        self.sent = sent  # messages sent
        self.answered = answered  # of them, answered
        self.replies = replies  # replies received (credited or not)
        self.messaged = messaged  # contacts first written to
        self.days_to_reply: list[int] = []  # per contact of those who replied: first message -> first reply after it
        self.by_template: dict[str, list[int]] = {}  # template -> [sent, answered], messages sent from drafts only


def reply_counts(conn, *, since: dt.date | None = None) -> ReplyCounts:
    """The reply figures for messages sent from `since` on (None: all time), from `conn` (a DB-API read connection)."""
    postgres = getattr(conn, "dialect", "sqlite") == "postgresql"
    params = {"since": since.isoformat()} if since else {}
    found = ReplyCounts(*conn.execute(_COUNTS_SQL if since else _COUNTS_ALL_TIME_SQL, params).fetchone())
    days_sql = (_DAYS_SQL_PG if postgres else _DAYS_SQL) if since else _DAYS_ALL_TIME_SQL
    found.days_to_reply = [row[0] for row in conn.execute(days_sql, params)]
    templates_sql = _TEMPLATES_SQL.format(since=" AND m.date >= :since" if since else "")
    found.by_template = {name: [sent, answered] for name, sent, answered in conn.execute(templates_sql, params)}
    return found
