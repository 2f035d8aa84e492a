"""Club mode (issue 15): one PostgreSQL database shared by several members, each connecting as their own role.

Shared: the alumni (`club_contact`), their hooks and *touches* (who wrote to whom, when: no text). Private to each
member, enforced by row-level security: interactions, promises, drafts, tags, the follow-up schedule and every other
per-relationship column of a contact (`contact_state`), profile, projects, targets, meta. crm's code runs unchanged
on it: `contact` becomes a view of the shared row joined to the member's own state (crm.club.schema builds it all).

Only ever used on PostgreSQL; importing this package loads nothing else.
"""

from __future__ import annotations

from crm.errors import CrmError

INFO_TABLE = "club_info"  # key/value facts about the club (its member group): its presence marks a club database
DEFAULT_GROUP = "crm_member"
# club_advance_sequence(seq, at_least): moves one of the club's id sequences forward, never back (crm.club.schema).
ADVANCE_SEQUENCE = "club_advance_sequence"
# The interaction kinds that become touches (README: which member messaged, chatted with or was introduced to which
# alum, and when; an alum's reply too, which the fatigue guard reads as a warm contact). A note or a referral stays
# the member's private business.
TOUCH_KINDS = ("message", "reply", "chat", "intro")


def is_club(reader) -> bool:
    """Whether the database behind `reader` (the store's: SQLite or PostgreSQL) is a club's."""
    return getattr(reader, "dialect", "sqlite") == "postgresql" and has_club_info(reader)


def has_club_info(conn) -> bool:
    """Whether a PostgreSQL connection's database is a club's (it has club_info): one catalog lookup."""
    row = conn.execute(f"SELECT to_regclass('{INFO_TABLE}') IS NOT NULL").fetchone()
    return bool(row and row[0])


def refuse_migration(reader, where: str, revision: str | None, head: str) -> None:
    """Called before crm migrates a PostgreSQL database: a club's schema (views, policies) is not something crm's
    migrations know how to change, so a crm newer than the club's schema refuses in one line instead of breaking it."""
    if is_club(reader):
        raise CrmError(
            f"{where} is a club database at schema {revision} and this crm expects {head}: club databases are not "
            'migrated automatically; use the crm version the club was set up with (see README "Sharing with a club")'
        )
