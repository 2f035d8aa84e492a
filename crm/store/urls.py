"""Database URLs (`postgresql://...`): telling one from a file path, and never showing the password in one."""

from __future__ import annotations

import re

# What `--db` and `$CRM_DB` accept besides a file path: PostgreSQL through psycopg 3 (libpq's own URI forms).
SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")

_USERINFO_PASSWORD = re.compile(r"^(?P<scheme>[a-z0-9+.-]+://)(?P<user>[^:@/?#]*):(?P<password>[^@/?#]*)@", re.I)
_QUERY_PASSWORD = re.compile(r"(?P<key>(?:^|[?&])password=)(?P<password>[^&#]*)", re.I)
MASK = "***"


def is_database_url(text: str | None) -> bool:
    """A PostgreSQL URL rather than a file path (a file named `postgresql:` would need `./postgresql:`)."""
    return bool(text) and str(text).lower().startswith(SCHEMES)


def masked(url: str) -> str:
    """The URL with any password (`user:secret@host`, `?password=secret`) shown as ***: safe to print."""
    shown = _USERINFO_PASSWORD.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", url, count=1)
    return _QUERY_PASSWORD.sub(lambda m: f"{m['key']}{MASK}", shown)


def scrubbed(text: str, url: str | None) -> str:
    """`text` (a driver's error message, say) with the URL's password, if it has one, replaced by ***."""
    if not url:
        return text
    secrets = [m["password"] for m in (_USERINFO_PASSWORD.match(url), *_QUERY_PASSWORD.finditer(url)) if m]
    for secret in filter(None, secrets):
        from urllib.parse import unquote

        for form in {secret, unquote(secret)}:
            text = text.replace(form, MASK)
    return text.replace(url, masked(url))


def libpq_url(url: str) -> str:
    """The URL as libpq (psycopg.connect) reads it: `postgresql://...`."""
    scheme, rest = url.split("://", 1)
    return f"postgresql://{rest}" if scheme.lower() in ("postgresql+psycopg", "postgres") else url


def sqlalchemy_url(url: str) -> str:
    """The URL as SQLAlchemy reads it, naming the driver: `postgresql+psycopg://...`."""
    return "postgresql+psycopg://" + url.split("://", 1)[1]
