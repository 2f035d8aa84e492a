"""Database URLs (`postgresql://...`): telling one from a file path, and never showing the password in one."""

from __future__ import annotations

import re
from urllib.parse import unquote

# What `--db` and `$CRM_DB` accept besides a file path: PostgreSQL through psycopg 3. libpq reads all that follows the
# scheme in every case (README "Using several devices"); SQLAlchemy's spellings name the same database, and a user who
# copies a URL from another tool's settings expects it to work.
SCHEMES = ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2")
ACCEPTED = "a postgresql:// URL (postgres://, postgresql+psycopg:// and postgresql+psycopg2:// name the same)"
MASK = "***"

# Anything shaped `scheme://` is a URL, never a file path: a typo (`pg://`) or another tool's scheme is refused in one
# line rather than taken for a folder `pg:` and echoed whole. Two letters at least, so `C://x` stays a Windows path.
_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]+)://")
# Where libpq finds no user information, the text before the first `/` is a host list (`h1:5432,[::1]:5433`).
_HOSTS = re.compile(r"(?:\[[^\]]*\]|[^:,\[\]]*)(?::\d*)?(?:,(?:\[[^\]]*\]|[^:,\[\]]*)(?::\d*)?)*")
# A query parameter: libpq percent-decodes its key too (`pass%77ord=`), so the key is decoded before it is compared.
_PARAMETER = re.compile(r"[?&](?P<key>[^&=?]+)=")
_SECRET_KEYS = ("password", "sslpassword")  # sslpassword: the passphrase of the client's SSL key
_NEXT_PARAMETER = re.compile(r"&[^&=?]+=")  # where a query value ends (`_value_end`)


def is_database_url(text: str | None) -> bool:
    """A URL (`scheme://...`) rather than a file path: a file named `postgresql:` would need `./postgresql:`."""
    return bool(text) and _SCHEME.match(str(text)) is not None


def url_problem(url: str) -> str | None:
    """Why crm cannot use this URL (one line, password masked), or None. What libpq itself refuses (a bad percent
    sign, an unknown parameter) is said when crm connects (crm.store.postgres.conninfo): this needs no driver."""
    shown = masked(url)
    try:
        url.encode("utf-8")
    except UnicodeEncodeError:  # $CRM_DB holding bytes that are not UTF-8
        return f"the database URL {shown.encode('utf-8', 'replace').decode()} is not valid UTF-8 text: retype it"
    scheme = _SCHEME.match(url)["scheme"].lower()
    if scheme.startswith("sqlite"):
        return f"{shown}: crm opens a SQLite database by its file's path (--db ~/crm.db), not by a sqlite:// URL"
    if scheme not in SCHEMES:
        return f"{shown} is not a database crm can open: give {ACCEPTED}, or a SQLite file's path"
    span = _userinfo_password(url)
    if span and any(mark in url[span[0] : span[1]] for mark in "@/"):
        return (
            f"the password in {shown} holds '@' or '/', which the URL reads as the end of the password: write them "
            "percent-encoded (%40 for '@', %2F for '/'), or leave the password out and use ~/.pgpass or $PGPASSWORD"
        )
    return None


def masked(url: str) -> str:
    """The URL with any password (`user:secret@host`, `?password=secret`, `&sslpassword=secret`) shown as ***: safe
    to print. Every form libpq accepts, and a password holding a character it would not (`@`, `/`) whole too."""
    spans = _secret_spans(url)
    for start, end in reversed(spans):
        url = url[:start] + MASK + url[end:]
    return url


def scrubbed(text: str, url: str | None) -> str:
    """`text` (a driver's error message, say) with the URL's password, if it has one, replaced by ***: as written,
    percent-decoded, and inside the URL as libpq was given it."""
    if not url:
        return text
    shown = masked(url)
    for form in (url, libpq_url(url)):
        text = text.replace(form, shown)
    for secret in sorted(secrets(url), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def secrets(url: str) -> set[str]:
    """Every password in the URL, as written and percent-decoded (the forms a message may quote)."""
    found = {url[start:end] for start, end in _secret_spans(url)}
    return {form for secret in found for form in (secret, unquote(secret)) if form}


def libpq_url(url: str) -> str:
    """The URL as libpq (psycopg.connect) reads it: `postgresql://...` (libpq knows no other spelling, nor capitals)."""
    match = _SCHEME.match(url)
    return "postgresql://" + url[match.end() :] if match else url


def _secret_spans(url: str) -> list[tuple[int, int]]:
    """Where the passwords are: the user information's, then each `password=` or `sslpassword=` of the query."""
    if _SCHEME.match(url) is None:
        return []
    spans = []
    userinfo = _userinfo_password(url)
    if userinfo:
        spans.append(userinfo)
    after = userinfo[1] if userinfo else _SCHEME.match(url).end()
    for parameter in _PARAMETER.finditer(url, after):
        if unquote(parameter["key"]).lower() in _SECRET_KEYS:
            spans.append((parameter.end(), _value_end(url, parameter.end())))
    return sorted(set(spans))


def _value_end(url: str, start: int) -> int:
    """Where a query value starting at `start` ends: at the next `&key=`; a bare `&` (a password holding one that
    libpq would split) stays in the value, so it is masked whole."""
    following = _NEXT_PARAMETER.search(url, start)
    return following.start() if following else len(url)


def _userinfo_password(url: str) -> tuple[int, int] | None:
    """(start, end) of the password in `scheme://user:password@host`, or None.

    libpq ends the user information at the first `@` before the first `/`. A password holding a raw `@` or `/` (the
    user meant it whole; libpq would cut it short and send the rest to the server as a host or a database name) runs
    to the last `@` before the path or the query, so that it is masked whole and url_problem can refuse it."""
    start = _SCHEME.match(url).end()
    first_at = url.find("@", start)
    if first_at < 0:
        return None
    first_slash = url.find("/", start)
    if first_slash < 0 or first_at < first_slash:
        path = min((i for i in (url.find("/", first_at), url.find("?", first_at)) if i >= 0), default=len(url))
        end = url.rfind("@", start, path)
    elif _HOSTS.fullmatch(url, start, first_slash):  # `host:5432/db?user=a@b`: no user information
        return None
    else:  # `user:pa/ss@host/db`: a raw `/` in the password
        end = first_at
    colon = url.find(":", start, end)
    return (colon + 1, end) if colon >= 0 else None
