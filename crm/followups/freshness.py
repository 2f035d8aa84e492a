"""Is the stored schedule current? The settings and rules behind stored follow-up dates, as a fingerprint."""

from __future__ import annotations

from crm.store.settings import Settings

FINGERPRINT_KEY = "follow_up_settings"
# Bump when the rules in crm.followups.rules change, so stored dates are recomputed (2: `done` on a first message or
# a nudge to someone who never answered schedules nothing more).
RULES_VERSION = "2"


def fingerprint(settings: Settings) -> str:
    return f"rules={RULES_VERSION};{settings.fingerprint()}"


def is_current(conn, settings: Settings) -> bool:
    """Were the stored follow-up dates computed with these settings and these rules?"""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (FINGERPRINT_KEY,)).fetchone()
    return row is not None and row[0] == fingerprint(settings)
