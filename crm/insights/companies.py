"""Companies (`crm companies`): where my network is, how warm it is there, and which target companies are still cold.

Per company (contacts not archived, grouped by name case- and space-insensitively): how many contacts, the warmest
one, the last touch, the next follow-up, and whether it is a target (`crm target add`). Every target company is
listed, with or without contacts.

Choices (each pinned by a test):
- **Warmest**: the furthest stage (identified < contacted < replied < chatted < advocate), then the most recent
  interaction, then the lowest id. A dormant contact (90 quiet days) ranks by the stage they had reached: an
  advocate gone quiet is still the warmest way in. Their shown stage says dormant, as everywhere else.
- **Name**: as most of its contacts spell it; a target with no one there yet, as it was typed.
- **Last touch**: the newest interaction with anyone there. **Next follow-up**: the earliest one scheduled there.
- **Cold target**: a target company where I have not yet written to or heard from anyone (no contact past
  `identified`). Imported LinkedIn connections are contacts too (stage identified, source LinkedIn), so "no one at
  Figma yet" would be false when three of them work there: the note says "no one you've written to at Figma yet:
  3 of your imported connections work there" instead, and "no one at Figma yet" only when there is no one at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crm.contacts.reads import dormant_before, stage_sql

STAGE_ORDER = ("identified", "contacted", "replied", "chatted", "advocate")
IMPORTED_SOURCE = "linkedin"  # crm.formats.linkedin.SOURCE, casefolded (importing it would load the CSV reader)

_CONTACTS_SQL = """
SELECT c.id, c.name, c.company, c.stage, {shown} AS shown, c.next_follow_up, c.source, c.last
FROM (SELECT c.*, (SELECT max(i.date) FROM interaction AS i WHERE i.contact_id = c.id) AS last
      FROM contact AS c WHERE c.archived = 0 AND c.company IS NOT NULL AND trim(c.company) <> '') AS c
ORDER BY c.id
""".format(shown=stage_sql("c.stage", "c.last"))
_CONTACTS_SQL_PG = _CONTACTS_SQL.replace("WHERE c.archived = 0 AND", "WHERE NOT c.archived AND")


def company_key(name: str) -> str:
    """How company names are matched: casefolded, runs of spaces as one ('Acme  Audio' is 'acme audio')."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    stage: str  # as shown (dormant when quiet)

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "stage": self.stage}


@dataclass(frozen=True)
class Company:
    company: str
    contacts: int
    warmest: Person | None
    last_touch: dt.date | None
    next_follow_up: dt.date | None
    target: bool
    next_person: Person | None = None  # whose follow-up is next there
    reached: int = 0  # contacts past `identified`: written to, heard from, met
    imported: int = 0  # imported LinkedIn connections there not reached yet

    @property
    def cold(self) -> bool:
        """A target where no one has been reached yet."""
        return self.target and self.reached == 0

    def note(self) -> str | None:
        """For a cold target: 'no one at Figma yet', or what is there already."""
        if not self.cold:
            return None
        if self.contacts == 0:
            return f"no one at {self.company} yet"
        if self.imported:
            works = "works" if self.imported == 1 else "work"
            return (
                f"no one you've written to at {self.company} yet: {self.imported} of your imported connections"
                f" {works} there"
            )
        return f"no one you've written to at {self.company} yet: {self.contacts} identified"

    def as_json(self) -> dict:
        return {
            "company": self.company,
            "contacts": self.contacts,
            "warmest": self.warmest.as_json() if self.warmest else None,
            "last_touch": self.last_touch.isoformat() if self.last_touch else None,
            "next_follow_up": self.next_follow_up.isoformat() if self.next_follow_up else None,
            "target": self.target,
        }


def _rank(stage: str, last: str | None, contact_id: int) -> tuple:
    level = STAGE_ORDER.index(stage) if stage in STAGE_ORDER else 0
    return (level, last or "", -contact_id)


def targets(conn) -> list[tuple[str, str]]:
    """(company as typed, key) of every target company, in the order added."""
    return conn.execute("SELECT company, key FROM target ORDER BY id").fetchall()


def companies(conn, *, today: dt.date) -> list[Company]:
    """Every company with a contact or a target: targets first, then by name."""
    groups: dict[str, list[tuple]] = {}
    sql = _CONTACTS_SQL_PG if getattr(conn, "dialect", "sqlite") == "postgresql" else _CONTACTS_SQL
    for row in conn.execute(sql, {"quiet_since": dormant_before(today)}):
        groups.setdefault(company_key(row[2]), []).append(row)
    wanted = dict((key, name) for name, key in targets(conn))
    found = []
    for key in groups.keys() | wanted.keys():
        rows = groups.get(key, [])
        found.append(_company(key, rows, wanted.get(key)))
    return sorted(found, key=lambda c: (not c.target, company_key(c.company), c.company))


def _company(key: str, rows: list[tuple], target_name: str | None) -> Company:
    if not rows:
        return Company(target_name or key, 0, None, None, None, target=True)
    spellings: dict[str, int] = {}
    for row in rows:
        spelling = " ".join(row[2].split())
        spellings[spelling] = spellings.get(spelling, 0) + 1
    name = max(spellings, key=lambda s: spellings[s])  # the most used by its contacts; on a tie, the first seen
    warm = max(rows, key=lambda r: _rank(r[3], r[7], r[0]))
    touches = [r[7] for r in rows if r[7]]
    scheduled = [r for r in rows if r[5]]
    nxt = min(scheduled, key=lambda r: (r[5], r[0])) if scheduled else None
    reached = sum(1 for r in rows if r[3] != "identified")
    imported = sum(1 for r in rows if r[3] == "identified" and (r[6] or "").strip().casefold() == IMPORTED_SOURCE)
    return Company(
        company=name,
        contacts=len(rows),
        warmest=Person(warm[0], warm[1], warm[4]),
        last_touch=dt.date.fromisoformat(max(touches)) if touches else None,
        next_follow_up=dt.date.fromisoformat(nxt[5]) if nxt else None,
        target=target_name is not None,
        next_person=Person(nxt[0], nxt[1], nxt[4]) if nxt else None,
        reached=reached,
        imported=imported,
    )
