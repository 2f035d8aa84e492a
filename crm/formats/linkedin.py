"""LinkedIn's Connections.csv: reading either export format; importing it, previewed or in one transaction.

Two steps, so a front end can show what an import would do before it writes:

    export = read_export(path)                                   # CrmError: not this CSV (exit 2, nothing written)
    summary = preview_import(store.reader, export, today=today)  # the dry run: reads only
    with store.write() as session:
        summary = apply_import(session=session, export=export, today=today)

Both plan with the same code (`_import`), so a preview and the import that follows it report the same numbers.
The import is bulk SQL on the session's own sqlite3 connection: one query loads what can match, then one
`executemany` per chunk and kind of write. 30,000 rows take a few statements, not 30,000 ORM objects.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from crm.contacts.fields import (
    TooLong,
    check_length,
    clean_name,
    normalize_email,
    normalize_linkedin,
    normalize_tag,
    too_long,
)
from crm.contacts.matching import Candidate, ContactMatcher
from crm.errors import CrmError

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm.store.store import ReadConnection

SOURCE = "LinkedIn"  # a new contact's source ("how found"), and an existing one's when it has none

# Header cell (case and spacing folded) -> field. Today's export has all seven; 2018-2020's had no URL.
COLUMNS = {
    "first name": "first",
    "last name": "last",
    "url": "url",
    "email address": "email",
    "company": "company",
    "position": "position",
    "connected on": "connected_on",
}
REQUIRED = frozenset({"first", "last", "company", "position", "connected_on"})
HEADER_TEXT = "First Name, Last Name, URL, Email Address, Company, Position, Connected On"
HEADER_SEARCH_ROWS = 50  # today's header is on line 4, after LinkedIn's "Notes:" preamble
DELIMITERS = (",", ";", "\t")  # LinkedIn writes commas; a spreadsheet that re-saved the file may not
CHUNK = 1000  # rows planned and written per round (and per progress step)
LIST_LINES = 20  # skipped line numbers shown per reason; the summary object keeps them all

BLANK_ROW = "blank but for the date (a private or deactivated member)"

# ---------------------------------------------------------------- reading the file


@dataclass(frozen=True, slots=True)
class Connection:
    """One person in the export, cleaned: whitespace trimmed and folded, URL and email normalised."""

    line: int  # where the row starts in the file (1-based), for the summary
    name: str
    url: str | None
    email: str | None
    company: str | None
    role: str | None
    connected_on: dt.date | None


@dataclass(frozen=True, slots=True)
class SkippedLine:
    line: int
    reason: str


@dataclass(frozen=True)
class LinkedInExport:
    """A Connections.csv as read: the people in it and the rows that could not be used."""

    name: str  # the file's name, for messages
    format: str  # "today's" (with profile URLs) or "2018-2020" (without)
    header_line: int
    connections: list[Connection]
    skipped: list[SkippedLine]

    @property
    def rows(self) -> int:
        return len(self.connections) + len(self.skipped)


def read_export(path: Path | str) -> LinkedInExport:
    """Read a Connections.csv; CrmError (one line, naming the file) when it is not one."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CrmError(f"{path} does not exist: give the path of Connections.csv from your LinkedIn export") from None
    except IsADirectoryError:
        raise CrmError(f"{path} is a folder: give the path of the Connections.csv inside it") from None
    except OSError as exc:
        raise CrmError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_export(data, name=path.name)


def parse_export(data: bytes, *, name: str = "Connections.csv") -> LinkedInExport:
    """Parse the bytes of a Connections.csv (either format, any preamble, BOM, CRLF); CrmError if it is not one."""
    text = _decode(data, name)
    rows = None
    for delimiter in DELIMITERS:
        rows = _rows_after_header(text, delimiter, name)
        if rows is not None:
            break
    if rows is None:
        if text.lstrip().upper().startswith("BEGIN:VCARD"):
            raise CrmError(f"{name} is a vCard, not LinkedIn's Connections.csv: use `crm import vcard` for it")
        raise CrmError(
            f"{name} has no LinkedIn header ({HEADER_TEXT}) in its first {HEADER_SEARCH_ROWS} lines: "
            "is it the Connections.csv from your LinkedIn export?"
        )
    header_line, width, columns, records = rows
    connections: list[Connection] = []
    skipped: list[SkippedLine] = []
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # an empty row (a trailing ",,,,,," or blank line) is no one
        try:
            connections.append(_connection(line, cells, columns, width))
        except _Skip as skip:
            skipped.append(SkippedLine(line, str(skip)))
    fmt = "today's" if "url" in columns else "2018-2020"
    return LinkedInExport(name, fmt, header_line, connections, skipped)


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise CrmError(
            f"{name} is empty: export your connections from LinkedIn (Settings, Data privacy, "
            "Get a copy of your data) and import its Connections.csv"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # a spreadsheet's "Unicode" save: UTF-16 with its BOM
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise CrmError(f"{name} is not valid UTF-16 text: save it as UTF-8 CSV and import it again") from None
    if data.startswith(b"PK\x03\x04"):
        raise CrmError(
            f"{name} is a ZIP archive (LinkedIn sends the export as one): unzip it, then import its Connections.csv"
        )
    if b"\x00" in data:
        raise CrmError(f"{name} is a binary file, not a CSV: import the Connections.csv from your LinkedIn export")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CrmError(
            f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}): "
            "save it as UTF-8 CSV and import it again"
        ) from None


def _header_columns(cells: list[str]) -> dict[str, int] | None:
    """Field -> column index when these cells are a Connections.csv header (in any order), else None."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = COLUMNS.get(" ".join(cell.replace("\ufeff", "").split()).casefold())
        if key is not None and key not in columns:
            columns[key] = index
    return columns if columns.keys() >= REQUIRED else None


def _rows_after_header(
    text: str, delimiter: str, name: str
) -> tuple[int, int, dict[str, int], Iterator[tuple[int, list[str]]]] | None:
    """The header's line, width and columns, and the (line, cells) records after it; None if no header is found."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)

    def records() -> Iterator[tuple[int, list[str]]]:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise CrmError(f"{name}, line {start}: not valid CSV ({exc})") from None
            yield start, cells

    for seen, (line, cells) in enumerate(records(), start=1):
        columns = _header_columns(cells) if cells else None
        if columns is not None:
            return line, len(cells), columns, records()
        if seen >= HEADER_SEARCH_ROWS:
            return None
    return None


class _Skip(Exception):
    """A row that cannot be imported; its message is the reason shown in the summary."""


def _connection(line: int, cells: list[str], columns: dict[str, int], width: int) -> Connection:
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        raise _Skip(f"{len(cells)} cells where the header has {width} (an unquoted comma?)")
    cells = cells + [""] * (width - len(cells))
    value = {key: " ".join(cells[index].split()) for key, index in columns.items()}  # trimmed, spaces folded
    name = f"{value['first']} {value['last']}".strip()
    if not name:
        others = (value.get("url"), value.get("email"), value["company"], value["position"])
        raise _Skip(BLANK_ROW if not any(others) else "no first or last name")
    for key, kind, label in _LIMITED:
        reason = too_long(value.get(key), kind)
        if reason is not None:
            raise _Skip(f"{label}: {reason}")
    try:
        name = clean_name(name)
    except TooLong as exc:
        raise _Skip(str(exc)) from None
    except CrmError:
        raise _Skip("the name is made only of invisible characters") from None
    url = email = connected_on = None
    if value.get("url"):
        try:
            url = profile_url(value["url"])
        except TooLong as exc:
            raise _Skip(str(exc)) from None
        except CrmError:
            raise _Skip(f"URL {value['url']!r} is not a LinkedIn profile URL") from None
    if value.get("email"):
        try:
            email = normalize_email(value["email"])
        except CrmError:
            raise _Skip(f"email {value['email']!r} is not an email address") from None
    if value["connected_on"]:
        connected_on = parse_connected_on(value["connected_on"])
        if connected_on is None:
            raise _Skip(f"Connected On {value['connected_on']!r} is not a date")
    return Connection(line, name, url, email, value["company"] or None, value["position"] or None, connected_on)


# The cells kept, with the kind of value each is (crm.contacts.fields.LIMITS): a longer one skips its row, saying so.
_LIMITED = (
    ("first", "name", "First Name"), ("last", "name", "Last Name"), ("url", "url", "URL"),
    ("email", "email", "Email Address"), ("company", "line", "Company"), ("position", "line", "Position"),
)  # fmt: skip


_CANONICAL_URL = re.compile(r"https://www\.linkedin\.com/in/([a-z0-9-]+)/?")


def profile_url(value: str) -> str:
    """normalize_linkedin(value), without parsing the URL when it is already in the canonical form (most are)."""
    match = _CANONICAL_URL.fullmatch(value)
    if match:
        return check_length("https://www.linkedin.com/in/" + match.group(1), "linkedin", "the LinkedIn URL")
    return normalize_linkedin(value)


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                        "dec"), start=1)}  # fmt: skip
_TODAYS_DATE = re.compile(r"(\d{1,2}) ([A-Za-z]{3}) (\d{4})")
_DATEUTIL_DEFAULT = dt.datetime(2000, 1, 1)  # missing parts are fixed, never today's: the same file, the same dates


@lru_cache(maxsize=8192)  # 30,000 connections share a few thousand dates
def parse_connected_on(text: str) -> dt.date | None:
    """'01 Apr 2026' (today's export) or '1/8/18, 6:14 PM' (2018-2020's, month first), via dateutil; None if neither."""
    match = _TODAYS_DATE.fullmatch(text)
    if match and match.group(2).lower() in _MONTHS:  # the common case, without dateutil's general parser
        try:
            return dt.date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
        except ValueError:
            return None
    from dateutil import parser as dateutil_parser

    try:
        return dateutil_parser.parse(text, default=_DATEUTIL_DEFAULT).date()
    except (ValueError, OverflowError, TypeError):
        return None


# ---------------------------------------------------------------- importing


@dataclass(frozen=True, slots=True)
class JobChange:
    """A matched contact's company changed: logged on them as a `note`."""

    contact_id: int
    name: str
    before: str
    after: str

    @property
    def note(self) -> str:
        return f"moved from {self.before} to {self.after}"


@dataclass
class ImportSummary:
    """What an import did (or, for a preview, would do). Counts are people; `skipped` keeps every line number."""

    file: str
    format: str
    dry_run: bool
    tags: tuple[str, ...] = ()
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[SkippedLine] = field(default_factory=list)
    job_changes: list[JobChange] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return not self.dry_run and bool(self.added or self.updated)

    def lines(self) -> list[str]:
        """The summary as text lines: the same for a preview and for the import that follows it."""
        counts = (
            f"{self.added:,} added, {self.updated:,} updated, {self.unchanged:,} unchanged, "
            f"{len(self.skipped):,} skipped"
        )
        tagged = f" (tagged {', '.join(self.tags)})" if self.tags else ""
        out = [f"LinkedIn connections from {self.file} ({self.format} format): {counts}{tagged}"]
        if self.skipped:
            out.append("Skipped:")
            by_reason: dict[str, list[int]] = {}
            for item in self.skipped:
                by_reason.setdefault(item.reason, []).append(item.line)
            for reason, lines in by_reason.items():
                shown = ", ".join(str(n) for n in lines[:LIST_LINES])
                more = f" and {len(lines) - LIST_LINES:,} more" if len(lines) > LIST_LINES else ""
                out.append(f"  line{'s' if len(lines) > 1 else ''} {shown}{more}: {reason}")
        if self.job_changes:
            out.append("Job changes (logged as notes):")
            out += [f"  {c.name} {c.note}" for c in self.job_changes[:LIST_LINES]]
            if len(self.job_changes) > LIST_LINES:
                out.append(f"  and {len(self.job_changes) - LIST_LINES:,} more")
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


Progress = Callable[[int, int], None]  # (rows done, rows in all)


def preview_import(
    conn: ReadConnection,
    export: LinkedInExport,
    *,
    today: dt.date,
    tags: Sequence[str] = (),
    progress: Progress | None = None,
) -> ImportSummary:
    """The dry run: what `apply_import` would do to the database behind `conn`, writing nothing."""
    return _import(conn, export, today=today, tags=tags, write=False, progress=progress)


def apply_import(
    *,
    session: Session,
    export: LinkedInExport,
    today: dt.date,
    tags: Sequence[str] = (),
    progress: Progress | None = None,
) -> ImportSummary:
    """Import in the caller's transaction: add new people, update matched ones, log job changes, never duplicate."""
    from crm.store.db import raw_connection

    summary = _import(raw_connection(session), export, today=today, tags=tags, write=True, progress=progress)
    if summary.job_changes:
        _refresh_follow_ups(session, [change.contact_id for change in summary.job_changes])
    return summary


def _refresh_follow_ups(session: Session, contact_ids: list[int]) -> None:
    """The job-change notes are interactions, so these contacts' schedules are recomputed (and only theirs).

    New contacts need nothing: with no interactions, no introduction and no date set, nothing is due.
    """
    from crm.followups.writes import refresh_contact
    from crm.models import Contact
    from crm.store.settings import load_settings

    settings = load_settings()
    for contact_id in contact_ids:
        refresh_contact(session, session.get(Contact, contact_id), settings=settings)


@dataclass(slots=True)
class _Known:
    """What an import may change on a contact, beside what matching knows of it (crm.contacts.matching)."""

    role: str | None
    source: str | None
    source_date: str | None
    tags: set[str]
    line: int = 0  # the line that matched or added it in this import; 0 until then


def _load(conn: ReadConnection, tags: Sequence[str]) -> tuple[ContactMatcher, dict[int, _Known]]:
    """Every stored contact, for matching and updating: one query (and one more for the tags asked for)."""
    tagged: dict[int, set[str]] = {}
    if tags:
        marks = ", ".join("?" for _ in tags)
        for contact_id, tag in conn.execute(
            f"SELECT contact_id, tag FROM contact_tag WHERE tag IN ({marks})", tuple(tags)
        ):
            tagged.setdefault(contact_id, set()).add(tag)
    candidates, known = [], {}
    rows = conn.execute(
        "SELECT id, name, email, linkedin_url, company, role, source, source_date FROM contact ORDER BY id"
    )
    for contact_id, name, email, url, company, role, source, source_date in rows:
        candidates.append(Candidate(contact_id, name, email, url, company))
        known[contact_id] = _Known(role, source, source_date, tagged.get(contact_id, set()))
    return ContactMatcher(candidates), known


def _import(
    conn: ReadConnection,
    export: LinkedInExport,
    *,
    today: dt.date,
    tags: Sequence[str],
    write: bool,
    progress: Progress | None,
) -> ImportSummary:
    tags = tuple(dict.fromkeys(normalize_tag(t) for t in tags))
    summary = ImportSummary(export.name, export.format, dry_run=not write, tags=tags)
    skipped = list(export.skipped)
    matcher, known = _load(conn, tags)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.000000")  # as SQLModel stores crm.models._now()
    first_new_id = conn.execute("SELECT coalesce(max(id), 0) FROM contact").fetchone()[0] + 1
    total = len(export.connections)
    for start in range(0, total, CHUNK):
        inserts: list[tuple] = []
        updates: list[tuple] = []
        notes: list[tuple] = []
        new_tags: list[tuple] = []
        for person in export.connections[start : start + CHUNK]:
            found = matcher.match(name=person.name, linkedin_url=person.url, email=person.email, company=person.company)
            if isinstance(found, list):
                listed = ", ".join(f"#{c.id}" for c in found)
                reason = f"matches {len(found)} contacts by name and company ({listed})"
                skipped.append(SkippedLine(person.line, reason))
                continue
            if found is not None and known[found.id].line:
                skipped.append(SkippedLine(person.line, f"the same person as line {known[found.id].line}"))
                continue
            if found is None:  # someone new: known to the matcher under -line, so a repeat later in the file matches
                matcher.add(Candidate(-person.line, person.name, person.email, person.url, person.company))
                known[-person.line] = _Known(person.role, SOURCE, _iso(person.connected_on), set(tags), person.line)
                inserts.append((person.name, person.email, person.url, person.company, person.role, SOURCE,
                                _iso(person.connected_on), "identified", False, now, now))  # fmt: skip
                summary.added += 1
                continue
            state = known[found.id]
            state.line = person.line
            changed, job = _update(found, state, person, matcher)
            missing = [t for t in tags if t not in state.tags]
            if missing:
                state.tags.update(missing)
                new_tags += [(found.id, t) for t in missing]
            if changed:
                updates.append((found.company, state.role, found.email, found.linkedin_url, state.source,
                                state.source_date, now, found.id))  # fmt: skip
            if job is not None:
                summary.job_changes.append(job)
                notes.append((found.id, "note", today.isoformat(), job.note, now))
            if changed or missing:
                summary.updated += 1
            else:
                summary.unchanged += 1
        if write:
            _write(conn, inserts, updates, notes, new_tags)
        if progress is not None:
            progress(min(start + CHUNK, total), total)
    if write and tags and summary.added:
        # The new contacts are every id past the largest before the import (SQLite gives max(rowid) + 1, and the
        # write lock is ours), so one statement tags them all.
        sql = "INSERT OR IGNORE INTO contact_tag (contact_id, tag) SELECT id, ? FROM contact WHERE id >= ?"
        if getattr(conn, "dialect", "sqlite") == "postgresql":  # its ids come from a sequence: past max(id) too
            sql = (
                "INSERT INTO contact_tag (contact_id, tag) SELECT id, ? FROM contact WHERE id >= ?"
                " ON CONFLICT DO NOTHING"
            )
        conn.executemany(sql, [(tag, first_new_id) for tag in tags])
    summary.skipped = sorted(skipped, key=lambda s: s.line)
    return summary


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _update(
    contact: Candidate, state: _Known, person: Connection, matcher: ContactMatcher
) -> tuple[bool, JobChange | None]:
    """Bring a matched contact up to date with the export: (anything changed, the job change if the company did).

    The export wins for company and position (it is newer than what was typed); identity and provenance
    (email, URL, source and its date) are only filled in when empty, and never with an email or URL another
    contact has. A blank cell never erases anything: LinkedIn leaves Company blank for many reasons.
    """
    changed, job = False, None
    if person.company and " ".join((contact.company or "").split()).casefold() != person.company.casefold():
        if contact.company:
            job = JobChange(contact.id, contact.name, contact.company, person.company)
        contact.company, changed = person.company, True
    if person.role and " ".join((state.role or "").split()) != person.role:
        state.role, changed = person.role, True
    if person.url and not contact.linkedin_url and not matcher.linkedin_taken(person.url):
        contact.linkedin_url, changed = person.url, True
    if person.email and not contact.email and not matcher.email_taken(person.email):
        contact.email, changed = person.email, True
    if not state.source:
        state.source, changed = SOURCE, True
    if person.connected_on and not state.source_date and state.source.casefold() == SOURCE.casefold():
        state.source_date, changed = person.connected_on.isoformat(), True
    if changed:
        matcher.add(contact)  # known under its new company, URL and email too
    return changed, job


def _write(conn, inserts: list[tuple], updates: list[tuple], notes: list[tuple], tags: list[tuple]) -> None:
    if inserts:
        conn.executemany(
            "INSERT INTO contact (name, email, linkedin_url, company, role, source, source_date, stage, archived,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            inserts,
        )
    if updates:
        conn.executemany(
            "UPDATE contact SET company = ?, role = ?, email = ?, linkedin_url = ?, source = ?, source_date = ?,"
            " updated_at = ? WHERE id = ?",
            updates,
        )
    if notes:  # the search index's triggers pick these up, as for any interaction
        conn.executemany(
            "INSERT INTO interaction (contact_id, kind, date, notes, created_at) VALUES (?, ?, ?, ?, ?)", notes
        )
    if tags:
        sql = "INSERT OR IGNORE INTO contact_tag (contact_id, tag) VALUES (?, ?)"
        if getattr(conn, "dialect", "sqlite") == "postgresql":
            sql = "INSERT INTO contact_tag (contact_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING"
        conn.executemany(sql, tags)
