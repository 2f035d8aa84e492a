"""What is due: plain-SQL reads over the stored schedule (see crm.followups.writes for how it is kept)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from crm.followups.defaults import IDEAS_SHOWN, OTHER_ALUM_AFTER_BUSINESS_DAYS
from crm.store.settings import Settings


@dataclass(frozen=True)
class DueItem:
    contact_id: int
    name: str
    company: str | None
    due: dt.date
    reason: str
    overdue: bool
    key: str = ""

    def as_json(self) -> dict:
        return {
            "contact_id": self.contact_id,
            "name": self.name,
            "company": self.company,
            "due": self.due.isoformat(),
            "reason": self.reason,
            "overdue": self.overdue,
        }


def due_items(
    conn: sqlite3.Connection, *, today: dt.date, through: dt.date | None, overdue_only: bool = False
) -> list[DueItem]:
    """Follow-ups due up to `through` (None: everything scheduled), overdue ones included, sorted by date.

    One range scan of the next_follow_up index: archived contacts have no stored date.
    """
    sql = (
        "SELECT id, name, company, next_follow_up, next_follow_up_reason, next_follow_up_key FROM contact"
        " WHERE next_follow_up IS NOT NULL AND archived = 0"
    )
    params: tuple = ()
    if overdue_only:
        sql += " AND next_follow_up < ?"
        params = (today.isoformat(),)
    elif through is not None:
        sql += " AND next_follow_up <= ?"
        params = (through.isoformat(),)
    sql += " ORDER BY next_follow_up, lower(name), id"
    now = today.isoformat()
    return [
        DueItem(cid, name, company, dt.date.fromisoformat(due), reason, due < now, key or "")
        for cid, name, company, due, reason, key in conn.execute(sql, params)
    ]


@dataclass(frozen=True)
class DueGroups:
    """Due items as every view shows them: overdue first, then today, then later."""

    overdue: list[DueItem]
    today: list[DueItem]
    later: list[DueItem]


def group_due(items: list[DueItem], *, today: dt.date) -> DueGroups:
    return DueGroups(
        [i for i in items if i.due < today], [i for i in items if i.due == today], [i for i in items if i.due > today]
    )


def end_of_week(today: dt.date, settings: Settings) -> dt.date:
    from crm.followups.rules import week_bounds

    return week_bounds(today, week_start=settings.week_start)[1]


@dataclass(frozen=True)
class Awaiting:
    contact_id: int
    name: str
    company: str | None
    since: dt.date


def awaiting_reply(conn: sqlite3.Connection) -> list[Awaiting]:
    """People I have written to who have never answered (stage `contacted`), oldest first message first."""
    rows = conn.execute(
        "SELECT c.id, c.name, c.company,"
        " (SELECT min(i.date) FROM interaction AS i WHERE i.contact_id = c.id AND i.kind = 'message') AS since"
        " FROM contact AS c WHERE c.stage = 'contacted' AND c.archived = 0 ORDER BY since, c.id"
    )
    return [Awaiting(cid, name, company, dt.date.fromisoformat(since)) for cid, name, company, since in rows if since]


def other_alumni_suggestions(
    conn: sqlite3.Connection, waiting: list[Awaiting], *, today: dt.date, limit: int = 3, ideas: int = IDEAS_SHOWN
) -> list[str]:
    """For first messages unanswered after 3 business days: others at the same company to write to.

    The newest unanswered messages come first, and at most `ideas` of them: a network of thousands has
    hundreds awaiting a reply, and a list of hundreds of ideas is no idea at all. One query for all companies.
    """
    from crm.followups.rules import add_business_days

    after = OTHER_ALUM_AFTER_BUSINESS_DAYS
    # add_business_days(since, after) <= today  <=>  since <= the latest day that is `after` business days back
    latest = today
    while add_business_days(latest, after) > today:
        latest -= dt.timedelta(days=1)
    ready = [p for p in reversed(waiting) if p.company and p.since <= latest]
    if not ready:
        return []
    companies = sorted({p.company.lower() for p in ready})
    marks = ",".join("?" * len(companies))
    untouched: dict[str, list[tuple[int, str]]] = {}
    for company, cid, name in conn.execute(
        f"SELECT lower(company), id, name FROM contact WHERE lower(company) IN ({marks}) AND stage = 'identified'"
        " AND next_follow_up IS NULL AND archived = 0 ORDER BY name",
        companies,
    ):
        same = untouched.setdefault(company, [])
        if len(same) <= limit:  # one more than shown, in case one of them is the person themself
            same.append((cid, name))
    found = []
    for person in ready:
        others = [name for cid, name in untouched.get(person.company.lower(), []) if cid != person.contact_id][:limit]
        if others:
            found.append(
                f"no reply from {person.name} for {after}+ business days: write to another {person.company} alum"
                f" too ({', '.join(others)})"
            )
            if len(found) == ideas:
                break
    return found


def fitting_template(conn, contact_id: int) -> str:
    """The template that fits what is due for this contact now (see rules.template_for_due)."""
    from crm.followups.rules import template_for_due

    row = conn.execute("SELECT next_follow_up_key, stage FROM contact WHERE id = ?", (contact_id,)).fetchone()
    return template_for_due(*(row or (None, None)))


def awaiting_reply_count(conn) -> int:
    """How many `awaiting_reply` lists, without listing them (stage `contacted` means a message went out).

    The app's This week shows the count at once and the list below the fold a moment later.
    """
    return conn.execute("SELECT count(*) FROM contact WHERE stage = 'contacted' AND archived = 0").fetchone()[0]
