"""vCards: `crm export vcard DIR` (one vCard 3.0 file per contact, a vdir address book) and `crm import vcard`.

Export. Each contact becomes `DIR/<UID>.vcf`: FN, N, EMAIL, ORG (company; team), TITLE, URL (LinkedIn),
CATEGORIES (tags), REV, and a NOTE carrying the notes, the next follow-up, the latest next step, the research
hooks (with their URLs and questions) and what has no vCard property (school, program, location...). The UID
is stable across exports: a UUID 5 of the contact's id and creation time, in a namespace (a random UUID) made
once per database and kept in its `meta` table, so it travels with `crm export json` / `crm restore` and two
databases never hand out the same UID. vdir address books (khard, vdirsyncer, ...) read the folder as it is.

Import. A file (one card or many), or a folder of `.vcf` files; vCard 2.1, 3.0 and 4.0 (read with vobject's
3.0 rules, which suit the properties used here); folded lines, quoted-printable, UTF-8/UTF-16/Windows-1252;
photos, logos, sounds and keys are dropped unread. A card that cannot be read is reported with its file and
line and skipped; the rest are imported in the caller's transaction. People are matched to existing contacts
by `crm.contacts.matching` (LinkedIn URL, then email, then name and company); a matched contact only gains
what it lacks (a card never overwrites what you typed).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crm.contacts.fields import check_length, clean_name, too_long
from crm.contacts.matching import Candidate, ContactMatcher, clean_email, clean_linkedin
from crm.contacts.reads import HOOK_ORDER
from crm.errors import CrmError

if TYPE_CHECKING:
    from sqlmodel import Session

PRODID = "-//crm//networking CRM//EN"
NAMESPACE_KEY = "vcard_uid_namespace"  # meta key: this database's UID namespace
SOURCE = "vCard"  # a new contact's source ("how found")
SUFFIXES = (".vcf", ".vcard")
IGNORED = {"PHOTO", "LOGO", "SOUND", "KEY"}  # binary payloads: dropped before parsing
LIST_LINES = 20  # skipped cards listed in the summary

# ---------------------------------------------------------------- export


def uid_namespace(conn: sqlite3.Connection) -> uuid.UUID:
    """This database's UID namespace, made (inside the caller's write transaction) on first use."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (NAMESPACE_KEY,)).fetchone()
    if row is not None:
        try:
            return uuid.UUID(row[0])
        except ValueError:
            pass
    namespace = uuid.uuid4()
    # Delete, then insert: the same SQL on both engines, and on a club database too, where meta's key is unique per
    # member (crm.club.schema), which no `ON CONFLICT (key)` can name.
    conn.execute("DELETE FROM meta WHERE key = ?", (NAMESPACE_KEY,))
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (NAMESPACE_KEY, str(namespace)))
    return namespace


def card_uid(namespace: uuid.UUID, contact_id: int, created_at: str | None) -> str:
    """Stable for a contact across exports (and restores); a new contact that reuses a forgotten one's id
    gets a new UID, because its creation time differs."""
    return str(uuid.uuid5(namespace, f"crm-contact:{contact_id}:{created_at or ''}"))


@dataclass
class ContactCard:
    """Everything a card shows about one contact."""

    id: int
    created_at: str | None
    updated_at: str | None
    fields: dict[str, object]
    tags: list[str] = field(default_factory=list)
    hooks: list[tuple] = field(default_factory=list)  # (text, url, date, question)
    introduced_by: str | None = None
    last_next_step: tuple[str, str] | None = None  # (date, text)


_CONTACTS_SQL = """
SELECT c.id, c.created_at, c.updated_at, c.name, c.email, c.linkedin_url, c.company, c.team, c.role, c.school,
       c.grad_year, c.program, c.location, c.source, c.cadence, c.notes, c.stage, c.archived, c.next_follow_up,
       c.next_follow_up_reason, introducer.name
FROM contact AS c LEFT JOIN contact AS introducer ON introducer.id = c.introduced_by_id
ORDER BY c.id
"""
_FIELDS = ("name", "email", "linkedin_url", "company", "team", "role", "school", "grad_year", "program",
           "location", "source", "cadence", "notes", "stage", "archived", "next_follow_up",
           "next_follow_up_reason")  # fmt: skip


def contact_cards(conn: sqlite3.Connection) -> list[ContactCard]:
    """Every contact (archived ones too), with tags, hooks and latest next step: four queries in all."""
    cards: dict[int, ContactCard] = {}
    for row in conn.execute(_CONTACTS_SQL):
        cid, created, updated, *values, introducer = row
        cards[cid] = ContactCard(
            cid, created, updated, dict(zip(_FIELDS, values, strict=True)), introduced_by=introducer
        )
    tags_sql = "SELECT contact_id, tag FROM contact_tag ORDER BY contact_id, tag"
    if getattr(conn, "dialect", "sqlite") == "postgresql":
        tags_sql += ' COLLATE "C"'  # SQLite's order: by code point
    for cid, tag in conn.execute(tags_sql):
        cards[cid].tags.append(tag)
    for cid, text, url, date, question in conn.execute(
        f"SELECT contact_id, text, url, date, question FROM hook ORDER BY contact_id, {HOOK_ORDER}"
    ):
        cards[cid].hooks.append((text, url, date, question))
    for cid, date, text in conn.execute(
        "SELECT contact_id, date, next_step FROM interaction WHERE next_step IS NOT NULL AND next_step <> ''"
        " ORDER BY contact_id, date, id"
    ):
        cards[cid].last_next_step = (date, text)  # the newest wins
    return list(cards.values())


# Words around a name that are no part of it, compared case-folded without dots ("Ph.D." is "phd"). A suffix is
# recognised after a comma ("Grace Liu, PhD", "Ana Ruiz, MBA, CPA"); without one only an unmistakable suffix is
# ("Martin King Jr.", "Henry Ford II"), since "Jack Ma" and "Lan Do" end in surnames, not degrees.
_TITLES = frozenset(("dr", "prof", "mr", "mrs", "ms", "mx", "sir", "dame", "rev"))
_SUFFIXES_WITHOUT_COMMA = frozenset(("jr", "sr", "ii", "iii", "iv", "phd", "mba", "esq", "cpa"))
_SUFFIXES = _SUFFIXES_WITHOUT_COMMA | frozenset((
    "v", "vi", "dphil", "md", "do", "dds", "dmd", "dvm", "jd", "llm", "pe", "cfa", "pmp", "rn", "np", "pa", "mph",
    "msc", "ms", "ma", "mfa", "meng", "mim", "ba", "bs", "bsc", "beng", "edd", "psyd", "obe", "mbe", "cbe", "frs",
    "ret",
))  # fmt: skip


@dataclass(frozen=True)
class NameParts:
    """A name as vCard's N has it: family; given (with middle names); honorific prefix; honorific suffixes."""

    family: str
    given: str
    prefix: str = ""
    suffixes: tuple[str, ...] = ()


def _bare(word: str) -> str:
    return word.replace(".", "").casefold()


def name_parts(name: str) -> NameParts:
    """N's parts of a name: post-nominal suffixes apart ("Grace Liu, PhD" -> Liu; Grace; ; PhD), a leading title
    as the prefix ("Dr. Maya Chen"), then the last word is the family name and a one-word name a given name."""
    core, *after = name.split(",")
    suffixes = [part.strip() for part in after if part.strip()]
    if not all(_bare(word) in _SUFFIXES for part in suffixes for word in part.split()):
        core, suffixes = name, []  # a comma that sets off no suffix ("Liu, Grace"?) is left where it was
    words = core.split()
    while len(words) > 2 and _bare(words[-1]) in _SUFFIXES_WITHOUT_COMMA:
        suffixes.insert(0, words.pop())
    prefix = words.pop(0) if len(words) > 1 and _bare(words[0]) in _TITLES else ""
    if len(words) < 2:  # "Cher" is a given name; "Dr. Chen" a family name
        return NameParts(" ".join(words) if prefix else "", "" if prefix else " ".join(words), prefix, tuple(suffixes))
    return NameParts(words[-1], " ".join(words[:-1]), prefix, tuple(suffixes))


def _note(card: ContactCard) -> str:
    f = card.fields
    parts: list[str] = []
    if f["notes"]:
        parts.append(str(f["notes"]).strip())
    if f["next_follow_up"]:
        parts.append(f"Next follow-up: {f['next_follow_up']}, {f['next_follow_up_reason'] or 'follow up'}")
    if card.last_next_step:
        parts.append(f"Next step (noted {card.last_next_step[0]}): {card.last_next_step[1]}")
    if card.hooks:
        lines = ["Hooks:"]
        for text, url, date, question in card.hooks:
            line = f"- {text}"
            if date:
                line += f" ({date})"
            if url:
                line += f" {url}"
            lines.append(line)
            if question:
                lines.append(f"  Question: {question}")
        parts.append("\n".join(lines))
    school = " ".join(str(v) for v in (f["school"], f["program"]) if v)
    if f["grad_year"]:
        school = f"{school} {f['grad_year']}".strip()
    about = [
        ("School", school), ("Location", f["location"]), ("Source", f["source"]),
        ("Introduced by", card.introduced_by), ("Stage", f["stage"]), ("Cadence", f["cadence"]),
    ]  # fmt: skip
    facts = "\n".join(f"{label}: {value}" for label, value in about if value)
    if f["archived"]:
        facts += ("\n" if facts else "") + "Archived in crm"
    if facts:
        parts.append(facts)
    return "\n\n".join(parts)


def _rev(updated_at: str | None) -> str | None:
    if not updated_at:
        return None
    try:
        stamp = dt.datetime.fromisoformat(updated_at)
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def to_vcard(card: ContactCard, uid: str) -> bytes:
    """One contact as a vCard 3.0 file (CRLF, folded at 75 octets, UTF-8)."""
    import vobject

    f = card.fields
    name = str(f["name"])
    vcard = vobject.vCard()
    vcard.add("version").value = "3.0"
    vcard.add("prodid").value = PRODID
    vcard.add("uid").value = uid
    vcard.add("fn").value = name
    parts = name_parts(name)  # FN keeps the name as written; N files "Grace Liu, PhD" under Liu
    vcard.add("n").value = vobject.vcard.Name(
        family=parts.family, given=parts.given, prefix=parts.prefix, suffix=list(parts.suffixes) or ""
    )
    if f["email"]:
        email = vcard.add("email")
        email.value = str(f["email"])
        email.type_param = "INTERNET"
    if f["company"] or f["team"]:
        vcard.add("org").value = [str(f["company"] or "")] + ([str(f["team"])] if f["team"] else [])
    if f["role"]:
        vcard.add("title").value = str(f["role"])
    if f["linkedin_url"]:
        vcard.add("url").value = str(f["linkedin_url"])
    if card.tags:
        vcard.add("categories").value = list(card.tags)
    note = _note(card)
    if note:
        vcard.add("note").value = note
    rev = _rev(card.updated_at)
    if rev:
        vcard.add("rev").value = rev
    return vcard.serialize().encode("utf-8")


def export_cards(conn: sqlite3.Connection, namespace: uuid.UUID) -> list[tuple[str, bytes]]:
    """(file name, bytes) for every contact: `<UID>.vcf`."""
    out = []
    for card in contact_cards(conn):
        uid = card_uid(namespace, card.id, card.created_at)
        out.append((f"{uid}.vcf", to_vcard(card, uid)))
    return out


# ---------------------------------------------------------------- reading cards


@dataclass(frozen=True)
class CardProblem:
    """A card that was not imported, and why: shown as `file:line: reason`."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class Person:
    """One readable card, reduced to what crm keeps."""

    file: str
    line: int
    name: str
    emails: list[str] = field(default_factory=list)  # valid ones, preferred first
    linkedin_url: str | None = None
    company: str | None = None
    team: str | None = None
    role: str | None = None
    location: str | None = None
    note: str | None = None
    phones: list[str] = field(default_factory=list)
    websites: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    @property
    def email(self) -> str | None:
        return self.emails[0] if self.emails else None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class CardFile:
    """What was read from one file."""

    name: str
    people: list[Person]
    problems: list[CardProblem]
    cards: int  # BEGIN:VCARD blocks seen


def decode(data: bytes, name: str) -> str:
    """vCard text from bytes: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252 (old Outlook)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise CrmError(f"{name} is not valid UTF-16 text: is it a vCard file?") from None
    if b"\x00" in data:
        raise CrmError(f"{name} is a binary file, not a vCard: give .vcf files")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_BEGIN = re.compile(r"^\s*BEGIN\s*:\s*VCARD\s*$", re.I)
_END = re.compile(r"^\s*END\s*:\s*VCARD\s*$", re.I)
_PROPERTY = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)[;:]")


def split_cards(text: str) -> tuple[list[tuple[int, list[tuple[int, str]]]], list[tuple[int, str]]]:
    """The BEGIN:VCARD ... END:VCARD blocks of a file, as (first line, [(line number, text)]), and the problems
    of the ones left open. Nested cards (a 2.1 AGENT) stay inside their parent."""
    blocks: list[tuple[int, list[tuple[int, str]]]] = []
    problems: list[tuple[int, str]] = []
    current: list[tuple[int, str]] | None = None
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if current is None:
            if _BEGIN.match(line):
                current, depth = [(number, line)], 1
            continue
        if _BEGIN.match(line):
            if depth == 1 and not _is_agent_value(current):
                # a new card before this one ended: this one is cut short
                problems.append((current[0][0], "the card has no END:VCARD (cut short?)"))
                current, depth = [(number, line)], 1
                continue
            depth += 1
        current.append((number, line))
        if _END.match(line):
            depth -= 1
            if depth == 0:
                blocks.append((current[0][0], current))
                current = None
    if current is not None:
        problems.append((current[0][0], "the card has no END:VCARD (cut short?)"))
    return blocks, problems


def _is_agent_value(lines: list[tuple[int, str]]) -> bool:
    """Does the card so far end with an AGENT property whose value (a nested vCard) follows on the next line?"""
    last = lines[-1][1].strip().upper()
    return bool(re.match(r"^(?:[A-Z0-9-]+\.)?AGENT[;:]", last)) and last.endswith(":")


def _without_binaries(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop PHOTO, LOGO, SOUND and KEY properties (and their folded or base64 continuation lines)."""
    kept: list[tuple[int, str]] = []
    skipping = False
    for number, line in lines:
        if skipping:
            if not line.strip() or line[:1] in (" ", "\t"):
                continue
            skipping = False
        match = _PROPERTY.match(line)
        if match and match.group(1).upper() in IGNORED:
            skipping = True
            continue
        kept.append((number, line))
    return kept


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def _one_line(value) -> str | None:
    text = _text(value)
    return " ".join(text.split()) if text else None


def _params(line) -> dict[str, list[str]]:
    return {key.upper(): [str(v) for v in values] for key, values in (line.params or {}).items()}


def _preference(line) -> tuple[int, int]:
    """Sort key: PREF=1 (4.0) or TYPE=pref (3.0) first."""
    params = _params(line)
    types = {t.strip().lower() for value in params.get("TYPE", []) for t in value.split(",")}
    pref = params.get("PREF", [])
    if pref and pref[0].isdigit():
        return 0, int(pref[0])
    if "pref" in types or "PREF" in params:
        return 0, 0
    return 1, 0


def _unescape_uri(value: str) -> str:
    """Gmail writes `http\\://...` in URL values, which vobject keeps as is."""
    return re.sub(r"\\([:,;\\])", r"\1", value.strip())


def _name_of(vcard) -> str | None:
    fn = _one_line(getattr(vcard, "fn", None) and vcard.fn.value)
    if fn:
        return fn
    n = getattr(vcard, "n", None)
    if n is not None and not isinstance(n.value, str):
        parts = [n.value.prefix, n.value.given, n.value.additional, n.value.family]
        text = _one_line(" ".join(_one_line(p) or "" for p in parts))
        suffix = _one_line(n.value.suffix)  # post-nominals after a comma, as written: "Grace Liu, PhD"
        return f"{text}, {suffix}" if text and suffix else text or suffix
    if n is not None:
        return _one_line(str(n.value).replace(";", " "))
    return None


def _lines(vcard, name: str) -> list:
    return list(vcard.contents.get(name, []))


def person_from(vcard, file: str, line: int) -> Person:
    """The fields crm keeps from a parsed card; CrmError if it has no name."""
    name = _name_of(vcard)
    if not name:
        raise CrmError("the card has no name (FN or N)")
    name = clean_name(name)  # NFC; a name of invisible characters alone is refused like no name
    person = Person(file, line, name)
    emails = sorted(_lines(vcard, "email"), key=_preference)
    for entry in emails:
        check_length(_one_line(entry.value).strip().removeprefix("mailto:"), "email", "EMAIL")
        email = clean_email(_one_line(entry.value))
        if email and email not in person.emails:
            person.emails.append(email)
    for entry in _lines(vcard, "url") + _lines(vcard, "x-socialprofile"):
        raw = check_length(_unescape_uri(str(entry.value)), "url", entry.name.upper())
        url = clean_linkedin(raw) if "linkedin." in raw.lower() else None
        if url and not person.linkedin_url:
            person.linkedin_url = url
        elif url is None and raw and raw not in person.websites and entry.name.lower() == "url":
            person.websites.append(raw)
    org = _lines(vcard, "org")
    if org:
        value = org[0].value
        units = [_one_line(v) for v in (value if isinstance(value, list) else [value])]
        units = [u for u in units if u]
        person.company = units[0] if units else None
        person.team = ", ".join(units[1:]) or None
    for prop in ("title", "role"):
        entries = _lines(vcard, prop)
        if entries and _one_line(entries[0].value):
            person.role = _one_line(entries[0].value)
            break
    addresses = _lines(vcard, "adr")
    if addresses and not isinstance(addresses[0].value, str):
        address = addresses[0].value
        place = [_one_line(address.city), _one_line(address.region)]
        person.location = ", ".join(p for p in place if p) or _one_line(address.country)
    notes = [_text(entry.value) for entry in _lines(vcard, "note")]
    person.note = "\n\n".join(n for n in notes if n) or None
    # What becomes a contact's field: a card with a longer value than crm keeps is skipped (TooLong is a CrmError),
    # saying which.
    for value, kind, label in ((person.company, "line", "ORG"), (person.team, "line", "ORG's units"),
                               (person.role, "line", "TITLE"), (person.location, "line", "ADR"),
                               (person.note, "text", "NOTE")):  # fmt: skip
        check_length(value, kind, label)
    for entry in sorted(_lines(vcard, "tel"), key=_preference):
        phone = _one_line(entry.value)
        if phone:
            phone = phone.removeprefix("tel:")
            if phone not in person.phones:
                person.phones.append(phone)
    for entry in _lines(vcard, "categories"):
        value = entry.value if isinstance(entry.value, list) else str(entry.value).split(",")
        person.categories += [c for c in (_one_line(v) for v in value) if c]
    return person


def read_card_text(text: str, file: str) -> CardFile:
    """Every card in one file's text: the people, and a CardProblem per card that cannot be read."""
    import vobject

    blocks, open_cards = split_cards(text)
    problems = [CardProblem(file, line, reason) for line, reason in open_cards]
    people: list[Person] = []
    for start, lines in blocks:
        kept = _without_binaries(lines)
        numbers = [number for number, _ in kept]
        try:
            vcard = vobject.readOne("\r\n".join(text for _, text in kept) + "\r\n", allowQP=True)
            people.append(person_from(vcard, file, start))
        except CrmError as exc:
            problems.append(CardProblem(file, start, str(exc)))
        except Exception as exc:  # vobject's ParseError and whatever a malformed value raises
            where = getattr(exc, "lineNumber", None)
            line = numbers[min(max(int(where), 1), len(numbers)) - 1] if isinstance(where, int) else start
            problems.append(CardProblem(file, line, f"cannot read the card ({_reason(exc)})"))
    problems.sort(key=lambda p: p.line)
    return CardFile(file, people, problems, len(blocks) + len(open_cards))


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = re.sub(r"^At line \d+:\s*", "", text)
    return text if len(text) <= 120 else text[:117] + "..."


def card_files(path: Path) -> list[Path]:
    """The files to read: PATH itself, or the `.vcf`/`.vcard` files directly in the folder PATH (sorted)."""
    try:
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir()
                if p.suffix.lower() in SUFFIXES and not p.name.startswith(".") and p.is_file()
            )  # fmt: skip
            if not found:
                raise CrmError(f"folder {path} has no .vcf files: give a vCard file or a folder of them")
            return found
    except PermissionError:
        raise CrmError(f"cannot read folder {path}: permission denied") from None
    if not path.exists():
        raise CrmError(f"{path} does not exist: give a .vcf file or a folder of them")
    if not path.is_file():
        raise CrmError(f"{path} is not a file or folder: give a .vcf file or a folder of them")
    return [path]


def read_path(path: str | Path) -> list[CardFile]:
    """Read a file or a folder of vCards; CrmError (nothing to import) when no card can be found at all."""
    path = Path(path)
    files = card_files(path)
    single = len(files) == 1 and not path.is_dir()
    read: list[CardFile] = []
    for file in files:
        label = file.name if not single else str(path)
        try:
            data = file.read_bytes()
        except OSError as exc:
            if single:
                raise CrmError(f"cannot read {path}: {exc.strerror}") from None
            read.append(CardFile(label, [], [CardProblem(label, 1, f"cannot read the file ({exc.strerror})")], 0))
            continue
        try:
            text = decode(data, label)
        except CrmError as exc:
            if single:
                raise
            read.append(CardFile(label, [], [CardProblem(label, 1, str(exc).removeprefix(f"{label} "))], 0))
            continue
        card_file = read_card_text(text, label)
        if card_file.cards == 0:
            if single:
                raise CrmError(f"{path} has no vCard in it (no BEGIN:VCARD line): give a .vcf file")
            card_file.problems.append(CardProblem(label, 1, "no vCard in this file (no BEGIN:VCARD line)"))
        read.append(card_file)
    return _something_readable(read, str(path))


def read_data(data: bytes, label: str = "stdin") -> list[CardFile]:
    """Cards from bytes (standard input); the same checks as a single file."""
    card_file = read_card_text(decode(data, label), label)
    if card_file.cards == 0:
        raise CrmError(f"{label} has no vCard in it (no BEGIN:VCARD line)")
    return _something_readable([card_file], label)


def _something_readable(read: list[CardFile], where: str) -> list[CardFile]:
    if not any(f.people for f in read):
        problems = [p for f in read for p in f.problems]
        first = f" (first: {problems[0]})" if problems else ""
        raise CrmError(f"no card in {where} could be read{first}: nothing was imported")
    return read


# ---------------------------------------------------------------- importing


@dataclass
class VcardSummary:
    """What an import did (or, dry run, would do)."""

    source: str
    dry_run: bool
    tags: tuple[str, ...] = ()
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[CardProblem] = field(default_factory=list)

    def lines(self) -> list[str]:
        counts = f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, {len(self.skipped)} skipped"
        tagged = f" (tagged {', '.join(self.tags)})" if self.tags else ""
        out = [f"vCards from {self.source}: {counts}{tagged}"]
        if self.skipped:
            out.append("Skipped:")
            out += [f"  {problem}" for problem in self.skipped[:LIST_LINES]]
            if len(self.skipped) > LIST_LINES:
                out.append(f"  and {len(self.skipped) - LIST_LINES} more")
        if self.dry_run:
            out.append("Dry run: nothing was written.")
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


def _extra_notes(person: Person, emails_kept: list[str]) -> str | None:
    parts = [person.note] if person.note else []
    facts = []
    others = [e for e in person.emails if e not in emails_kept]
    if others:
        facts.append(f"Other email{'s' if len(others) > 1 else ''}: {', '.join(others)}")
    if person.phones:
        facts.append(f"Phone{'s' if len(person.phones) > 1 else ''}: {', '.join(person.phones)}")
    if person.websites:
        facts.append(f"Web: {', '.join(person.websites)}")
    if facts:
        parts.append("\n".join(facts))
    return "\n\n".join(parts) or None


def _tag_of(text: str) -> str | None:
    from crm.contacts.fields import normalize_tag

    try:
        return normalize_tag("-".join(text.split()))
    except CrmError:
        return None


def import_people(
    session: Session, files: Sequence[CardFile], *, source: str, today: dt.date, tags: Sequence[str] = ()
) -> VcardSummary:
    """Add or complete contacts from the cards, in the caller's transaction (roll it back for a dry run)."""
    from crm.contacts.fields import ContactChanges, normalize_tag
    from crm.contacts.writes import create_contact, edit_contact
    from crm.models import Contact
    from crm.store.db import raw_connection

    tags = tuple(dict.fromkeys(normalize_tag(t) for t in tags))
    summary = VcardSummary(source=source, dry_run=False, tags=tags)
    summary.skipped = [p for f in files for p in f.problems]
    matcher = ContactMatcher.load(raw_connection(session))
    seen: dict[int, Person] = {}  # contact id -> the card that matched or added it
    for person in (p for f in files for p in f.people):
        found = matcher.match(
            name=person.name, linkedin_url=person.linkedin_url, email=person.email, company=person.company
        )
        if isinstance(found, list):
            listed = ", ".join(f"#{c.id}" for c in found)
            summary.skipped.append(
                CardProblem(person.file, person.line, f"matches {len(found)} contacts by name and company ({listed})")
            )
            continue
        if found is not None and found.id in seen:
            summary.skipped.append(CardProblem(person.file, person.line, f"the same person as {seen[found.id].where}"))
            continue
        if found is None:
            email = next((e for e in person.emails if not matcher.email_taken(e)), None)
            url = person.linkedin_url if not matcher.linkedin_taken(person.linkedin_url) else None
            categories = [t for t in (_tag_of(c) for c in person.categories) if t]
            notes = _extra_notes(person, [email] if email else [])
            reason = too_long(notes, "text")
            if reason is not None:  # the NOTE fits, but not with the card's phones, websites and other emails
                summary.skipped.append(CardProblem(person.file, person.line, f"the notes it would give: {reason}"))
                continue
            changes = ContactChanges(
                name=person.name, email=email, linkedin_url=url, company=person.company, team=person.team,
                role=person.role, location=person.location, source=SOURCE, notes=notes,
                add_tags=list(dict.fromkeys([*categories, *tags])),
            )  # fmt: skip
            contact = create_contact(session=session, changes=changes, today=today)
            matcher.add(Candidate(contact.id, contact.name, contact.email, contact.linkedin_url, contact.company))
            seen[contact.id] = person
            summary.added += 1
            continue
        seen[found.id] = person
        contact = session.get(Contact, found.id)
        changes = _fill_blanks(contact, person, matcher)
        have = set(_tags_of(session, contact.id))
        missing = [t for t in tags if t not in have]
        if changes or missing:
            edit_contact(session=session, contact=contact, changes=ContactChanges(**changes, add_tags=missing),
                         today=today)  # fmt: skip
            matcher.add(Candidate(contact.id, contact.name, contact.email, contact.linkedin_url, contact.company))
            summary.updated += 1
        else:
            summary.unchanged += 1
    summary.skipped.sort(key=lambda p: (p.file, p.line))
    return summary


def _tags_of(session: Session, contact_id: int) -> list[str]:
    from crm.store.db import raw_connection

    rows = raw_connection(session).execute("SELECT tag FROM contact_tag WHERE contact_id = ?", (contact_id,))
    return [row[0] for row in rows]


def _fill_blanks(contact, person: Person, matcher: ContactMatcher) -> dict[str, str]:
    """The fields a matched contact lacks and the card has: a card never overwrites what is there."""
    changes: dict[str, str] = {}
    if not contact.email:
        email = next((e for e in person.emails if not matcher.email_taken(e, by_other_than=contact.id)), None)
        if email:
            changes["email"] = email
    url = person.linkedin_url
    if url and not contact.linkedin_url and not matcher.linkedin_taken(url, by_other_than=contact.id):
        changes["linkedin_url"] = url
    for name in ("company", "team", "role", "location"):
        value = getattr(person, name)
        if value and not getattr(contact, name):
            changes[name] = value
    return changes
