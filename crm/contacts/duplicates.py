"""Who might be in the network twice: `crm contact list --duplicates`.

Two contacts look like one person when they share a LinkedIn profile URL or an email (compared normalised, so case
and format variants of one address meet), or when their names are alike at the same company: the same name after
folding case, accents, punctuation and suffixes like "PhD"; names whose sorted words score at least
SIMILAR_AT_LEAST with rapidfuzz ("Jonathan Smith" and "Jonathon Smith"); or one name an initial form of the other
("Maya C." and "Maya Chen", "M. Chen"). The same name also pairs contacts of whom only one has a company (unless
the name is at two companies: then it could be either); similar names without a company in common do not (two
"John Smith"s at different companies are namesakes).

Comparing everyone with everyone is 50 million pairs at 10k contacts, so names are compared only within blocks: the
same normalised company, and the same initials of the first and last words in either order (so "Maya C.", "M. Chen",
"Maya L. Chen" and "Chen Maya" all meet "Maya Chen"). Identical names in a block are grouped first, so each distinct
name is compared once.

Suggestions are grouped: when A is like B and B like C, all three are one suggested person, and every suggestion
names the same contact to keep (not archived, with a full name, most history, then the oldest), so the
suggested `crm contact merge KEEP OTHER` commands can be run one after the other.

On a club's database a member may merge away only a record no other member has anything on
(crm.contacts.merge.club_known): a group's record that others have is the one to keep, so every suggested command
works, and a pair of two such records, which this member cannot merge either way, is set apart (`Duplicates`). Off a
club nothing is asked: the query that reads everyone says whether the database is a club's.

Plain sqlite3 (`store.reader`): a read, with no ORM; rapidfuzz loads only when this runs.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from crm.contacts.matching import clean_email, clean_linkedin

SIMILAR_AT_LEAST = 90  # rapidfuzz token_sort_ratio (0-100) for "similar names"
SAME_IDENTIFIER_SCORE = 100
SAME_NAME_SCORE = 100
INITIAL_FORM_SCORE = 90

# Words that say nothing about who someone is: titles and degrees around a name, legal forms after a company.
NAME_NOISE = frozenset((
    "dr", "mr", "mrs", "ms", "mx", "prof", "jr", "sr", "ii", "iii", "phd", "md", "mba", "msc", "bsc", "cpa", "pmp",
    "esq",
))  # fmt: skip
COMPANY_NOISE = frozenset((
    "the", "inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "company", "gmbh", "ag",
    "ab", "sa", "plc", "bv", "nv", "oy", "as",
))  # fmt: skip
_NON_WORD = re.compile(r"[^\w\s]|_")


def _fold(text: str | None) -> list[str]:
    """Lower-case words without accents or punctuation: "Müller-Lüdenscheidt, PhD" -> [muller, ludenscheidt, phd]."""
    if not text:
        return []
    bare = text.casefold()
    if not bare.isascii():
        bare = "".join(ch for ch in unicodedata.normalize("NFKD", bare) if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", bare).split()


@lru_cache(maxsize=1 << 16)
def normalize_name(name: str | None) -> str:
    """A name as duplicates compare it: folded, without titles or degrees ("Dr. Maya Chen, PhD" -> "maya chen")."""
    words = _fold(name)
    kept = [w for w in words if w not in NAME_NOISE]
    return " ".join(kept or words)


@lru_cache(maxsize=1 << 12)
def normalize_company(company: str | None) -> str:
    """A company as duplicates compare it: folded, without legal forms ("Spotify AB", "Spotify A.B." -> "spotify");
    '' for none."""
    words = _fold(company.replace(".", "") if company else company)
    kept = [w for w in words if w not in COMPANY_NOISE]
    return " ".join(kept or words)


def _initials(name: str) -> tuple[str, str]:
    """A normalised name's block: the initials of its first and last words, in alphabetical order."""
    first, last = name[0], name.rsplit(" ", 1)[-1][0]
    return (first, last) if first <= last else (last, first)


def _has_initial(name: str) -> bool:
    return any(len(word) == 1 for word in name.split())


def is_initial_form(a: str, b: str) -> bool:
    """Is one normalised name the other with some words cut to their initial ("maya c" / "maya chen")?

    The same number of words, each equal or an initial of the other's word, at least one cut and one whole.
    """
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb) or len(wa) < 2:
        return False
    cut = whole = 0
    for x, y in zip(wa, wb, strict=True):
        if x == y:
            whole += len(x) > 1
        elif (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)):
            cut += 1
        else:
            return False
    return cut > 0 and whole > 0


@dataclass(frozen=True)
class Person:
    """A contact as duplicate detection sees it. `history` counts interactions, hooks and drafts."""

    id: int
    name: str
    email: str | None = None
    linkedin_url: str | None = None
    company: str | None = None
    archived: bool = False
    history: int = 0
    filled: int = 0  # how many of email, LinkedIn, company, team, role are set
    others_know: bool = False  # a club's record another member has something on: it may be kept, not merged away

    def keep_rank(self) -> tuple:
        """Higher is the better contact to keep: one that must stay in a club (`others_know`), not archived, a full
        name (KEEP's name stays), most history, most fields filled, oldest."""
        return (
            self.others_know, not self.archived, not _has_initial(normalize_name(self.name)), self.history,
            self.filled, -self.id,
        )  # fmt: skip


@dataclass(frozen=True)
class Suggestion:
    """Merge `other` into `keep`, because `reason` (`score`: 100 for a shared identifier or the same name)."""

    keep: Person
    other: Person
    reason: str
    score: int  # 100: a shared URL or email, or the same name; 95: the same name, one without a company; else similar

    @property
    def command(self) -> str:
        return f"crm contact merge {self.keep.id} {self.other.id}"

    def as_json(self) -> dict:
        return {
            "keep": {"id": self.keep.id, "name": self.keep.name},
            "other": {"id": self.other.id, "name": self.other.name},
            "reason": self.reason,
            "score": self.score,
        }


_PROFILE = "https://www.linkedin.com/in/"


def _identifier(value: str | None, clean) -> str | None:
    """The normalised email or URL; a stored value that does not parse still compares trimmed and case-folded."""
    if not value or not value.strip():
        return None
    if clean is clean_linkedin and value.startswith(_PROFILE) and value.islower():
        slug = value[len(_PROFILE) :]
        if slug and not any(ch in slug for ch in "/?#%"):  # stored as crm writes them: normalised already
            return value
    return clean(value) or value.strip().casefold()


class _Links:
    """Pairs found so far, each with its best (score, reason), and the groups they join people into.

    `profiles` maps a contact to its normalised LinkedIn URL. A profile is one person, so alike names never join two
    different profiles, directly or through a group (`strict`): that is how ContactMatcher tells a namesake too.
    """

    def __init__(self, profiles: dict[int, str]) -> None:
        self.best: dict[tuple[int, int], tuple[int, str]] = {}
        self.parent: dict[int, int] = {}
        self.profile = profiles  # person -> its profile URL
        self.group_profile = dict(profiles)  # group root -> a profile URL in the group

    def add(self, a: int, b: int, score: int, reason: str, *, strict: bool = True) -> bool:
        ra, rb = self.root(a), self.root(b)
        if strict:
            for x, y in (
                (self.profile.get(a), self.profile.get(b)),
                (self.group_profile.get(ra), self.group_profile.get(rb)),
            ):
                if x and y and x != y:
                    return False
        key = (a, b) if a < b else (b, a)
        if key not in self.best or score > self.best[key][0]:
            self.best[key] = (score, reason)
        if ra != rb:
            low, high = min(ra, rb), max(ra, rb)
            self.parent[high] = low
            self.group_profile[low] = self.group_profile.get(low) or self.group_profile.get(high)
        return True

    def add_any(self, xs: list[Person], ys: list[Person], score: int, reason: str) -> None:
        """Link each of `xs` to the first of `ys` it may be linked to (the groups do the rest)."""
        for x in xs:
            for y in ys:
                if x.id != y.id and self.add(x.id, y.id, score, reason):
                    break

    def root(self, x: int) -> int:
        parent = self.parent
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x


def _same_identifier(people: list[Person], links: _Links) -> None:
    for column, label, clean in (
        ("linkedin_url", "same LinkedIn URL", clean_linkedin),
        ("email", "same email", clean_email),
    ):
        first: dict[str, Person] = {}
        for person in people:
            value = _identifier(getattr(person, column), clean)
            if value is None:
                continue
            if value in first:
                links.add(first[value].id, person.id, SAME_IDENTIFIER_SCORE, f"{label} {value}", strict=False)
            else:
                first[value] = person


def _alike_names(people: list[Person], links: _Links) -> None:
    from rapidfuzz import fuzz, process

    # company -> initials -> normalised name -> people; and name -> people across companies.
    blocks: dict[str, dict[str, dict[str, list[Person]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    by_name: dict[str, list[Person]] = defaultdict(list)
    company_of: dict[str, str] = {}  # normalised -> as first written
    company_key: dict[int, str] = {}
    for person in people:
        name = normalize_name(person.name)
        if not name:
            continue
        company = company_key[person.id] = normalize_company(person.company)
        by_name[name].append(person)
        if company:
            blocks[company][_initials(name)][name].append(person)
            company_of.setdefault(company, " ".join(person.company.split()))

    for company, by_initials in blocks.items():
        shown = company_of[company]
        for names in by_initials.values():
            for group in names.values():  # identical names at one company
                for j in range(1, len(group)):
                    links.add_any(group[j : j + 1], group[:j], SAME_NAME_SCORE, f"same name at {shown}")
            if len(names) < 2:
                continue
            distinct = list(names)
            sortable = [" ".join(sorted(n.split())) for n in distinct]  # token_sort_ratio, sorted once
            for i, name in enumerate(distinct):
                rest = sortable[i + 1 :]
                for _, score, j in process.extract(
                    sortable[i], rest, scorer=fuzz.ratio, score_cutoff=SIMILAR_AT_LEAST, limit=None
                ):
                    why = "same name, words in another order" if score == 100 else "similar names"
                    links.add_any(names[name], names[distinct[i + 1 + j]], round(score), f"{why} at {shown}")
            short = [n for n in distinct if _has_initial(n)]
            for name in short:  # initial forms: few names have one, so each is checked against its block
                for other in distinct:
                    if other != name and is_initial_form(name, other):
                        links.add_any(names[name], names[other], INITIAL_FORM_SCORE,
                                      f"initial form of the name at {shown}")  # fmt: skip

    for group in by_name.values():  # the same name where only one of the two has a company
        if len(group) < 2:
            continue
        with_company = [p for p in group if company_key[p.id]]
        without = [p for p in group if not company_key[p.id]]
        for j in range(1, len(without)):
            links.add_any(without[j : j + 1], without[:j], SAME_NAME_SCORE, "same name, neither has a company")
        # Namesakes at two companies are two people: one without a company could be either, so is neither's.
        if without and with_company and len({company_key[p.id] for p in with_company}) == 1:
            links.add_any(without, with_company, SAME_NAME_SCORE - 5, "same name, only one has a company")


def link(people: list[Person]) -> _Links:
    """Every likely-duplicate pair among `people`, with its best reason, and the groups they form."""
    profiles = {p.id: url for p in people if (url := _identifier(p.linkedin_url, clean_linkedin))}
    links = _Links(profiles)
    _same_identifier(people, links)
    _alike_names(people, links)
    return links


def _suggestions(links: _Links, by_id: dict[int, Person]) -> list[Suggestion]:
    groups: dict[int, list[Person]] = defaultdict(list)
    for pid in {i for pair in links.best for i in pair}:
        groups[links.root(pid)].append(by_id[pid])
    edges: dict[int, list[tuple[int, int, str]]] = defaultdict(list)  # id -> (score, other id, reason)
    for (a, b), (score, reason) in links.best.items():
        edges[a].append((score, b, reason))
        edges[b].append((score, a, reason))

    suggestions = []
    for members in groups.values():
        keep = max(members, key=Person.keep_rank)
        for other in members:
            if other.id == keep.id:
                continue
            direct = [e for e in edges[other.id] if e[1] == keep.id]
            if direct:
                score, _, reason = max(direct, key=lambda e: e[0])
            else:  # like someone who is like `keep`: say through whom
                score, via, reason = max(edges[other.id], key=lambda e: (e[0], -e[1]))
                reason = f"{reason} (as #{via} {by_id[via].name})"
            suggestions.append(Suggestion(keep, other, reason, score))
    suggestions.sort(key=lambda s: (-s.score, s.keep.name.casefold(), s.keep.id, s.other.id))
    return suggestions


def suggest(people: list[Person]) -> list[Suggestion]:
    """Likely duplicates among `people`: one suggestion per contact to merge away, most certain first."""
    return _suggestions(link(people), {p.id: p for p in people})


# The last column says whether the database is a club's: never on SQLite; on PostgreSQL crm.club.has_club_info's
# question, asked once (a sub-select), so a database that is no club's pays no query for it.
_PEOPLE_SQL = """
SELECT c.id, c.name, c.email, c.linkedin_url, c.company, c.archived,
       (c.email IS NOT NULL) + (c.linkedin_url IS NOT NULL) + (c.company IS NOT NULL) + (c.team IS NOT NULL)
       + (c.role IS NOT NULL),
       0
FROM contact AS c {where} ORDER BY c.id
"""
_PEOPLE_SQL_PG = """
SELECT c.id, c.name, c.email, c.linkedin_url, c.company, c.archived,
       (c.email IS NOT NULL)::int + (c.linkedin_url IS NOT NULL)::int + (c.company IS NOT NULL)::int
       + (c.team IS NOT NULL)::int + (c.role IS NOT NULL)::int,
       (SELECT to_regclass('{club_info}') IS NOT NULL)
FROM contact AS c {where} ORDER BY c.id
"""


def _history(conn: sqlite3.Connection, ids: list[int]) -> dict[int, int]:
    """Interactions, hooks and drafts per contact, for the few contacts in a suggestion."""
    counts: dict[int, int] = defaultdict(int)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for table in ("interaction", "hook", "draft"):
            sql = f"SELECT contact_id, count(*) FROM {table} WHERE contact_id IN ({marks}) GROUP BY contact_id"
            for cid, n in conn.execute(sql, chunk):
                counts[cid] += n
    return counts


@dataclass(frozen=True)
class Duplicates:
    """Likely duplicates: the merges the user can run, and on a club's database the pairs they cannot merge either
    way (other members have both records: keep both)."""

    suggestions: list[Suggestion]
    unmergeable: list[Suggestion] = field(default_factory=list)


def find_duplicates(conn: sqlite3.Connection, *, include_archived: bool = False) -> list[Suggestion]:
    """Likely duplicate contacts in the database behind `conn` (archived ones only with `include_archived`), as
    merges that work: `look_for_duplicates(...).suggestions`."""
    return look_for_duplicates(conn, include_archived=include_archived).suggestions


def look_for_duplicates(conn: sqlite3.Connection, *, include_archived: bool = False) -> Duplicates:
    """Likely duplicate contacts in the database behind `conn` (archived ones only with `include_archived`)."""
    postgres = getattr(conn, "dialect", "sqlite") == "postgresql"  # crm.store.dialect
    where = "" if include_archived else ("WHERE NOT c.archived" if postgres else "WHERE c.archived = 0")
    if postgres:
        from crm.club import INFO_TABLE

        sql = _PEOPLE_SQL_PG.format(where=where, club_info=INFO_TABLE)
    else:
        sql = _PEOPLE_SQL.format(where=where)
    rows = conn.execute(sql).fetchall()
    people = [
        Person(cid, name, email, url, company, bool(archived), 0, filled)
        for cid, name, email, url, company, archived, filled, _ in rows
    ]
    links = link(people)
    if not links.best:
        return Duplicates([])
    # Which one to keep depends on history: counted only for the contacts in a suggestion; in a club, on whether
    # other members have something on it.
    involved = sorted({i for pair in links.best for i in pair})
    counts = _history(conn, involved)
    known: set[int] = set()
    if rows[0][-1]:  # a club's
        from crm.contacts.merge import club_known

        known = club_known(conn, involved)
    by_id = {p.id: p for p in people}
    with_history = {
        cid: Person(
            p.id, p.name, p.email, p.linkedin_url, p.company, p.archived, counts.get(cid, 0), p.filled, cid in known
        )
        for cid in involved
        for p in (by_id[cid],)
    }
    found = _suggestions(links, with_history)
    # keep_rank keeps a record others have whenever the group holds one: when OTHER is one too, neither way works.
    return Duplicates([s for s in found if not s.other.others_know], [s for s in found if s.other.others_know])


# -- someone being added: who they may already be ------------------------------------------------------------


def likely_duplicates(
    conn,
    *,
    name: str,
    company: str | None = None,
    email: str | None = None,
    linkedin_url: str | None = None,
    not_id: int | None = None,
) -> list[tuple[dict, str]]:
    """The contacts (archived ones too) that someone with these fields is likely to be, each with why, by the rules
    of `contact list --duplicates` (crm.contacts.duplicates.link: the same or a similar name at the same company,
    an initial form of it, the same name where one has no company, the same email or LinkedIn URL), the one that
    command would keep first. `not_id` is the person's own id once saved. Plain SQL on the reader: no ORM.

    Only contacts who could be alike are compared (the same normalised name, or the same company and the same
    initials, as duplicates blocks names), so an add costs one scan of the contact table, not a pass over a company.
    """
    own_name, own_company = normalize_name(name), normalize_company(company)
    own_block = _initials(own_name)
    own_mail, own_url = clean_email(email), clean_linkedin(linkedin_url)
    people: list = []
    found: dict[int, dict] = {}
    for cid, other, mail, url, firm, archived in conn.execute(
        "SELECT id, name, email, linkedin_url, company, archived FROM contact ORDER BY id"
    ):
        if cid == not_id:
            continue
        other_name = normalize_name(other)
        if (
            other_name == own_name
            or (own_company and _initials(other_name) == own_block and normalize_company(firm) == own_company)
            or (own_mail and clean_email(mail) == own_mail)
            or (own_url and clean_linkedin(url) == own_url)
        ):
            people.append(Person(cid, other, mail, url, firm, bool(archived)))
            found[cid] = {"id": cid, "name": other, "company": firm, "archived": bool(archived)}
    me = Person(_NEW, name, email, linkedin_url, company)  # last, so reasons name companies as they are stored
    links = link([*people, me])
    group = [p for p in people if links.root(p.id) == links.root(_NEW)] if links.best else []
    group.sort(key=Person.keep_rank, reverse=True)  # the one `contact list --duplicates` would keep first

    def why(person: Person) -> str:  # said of this pair, else of the pair that put them in the group
        edges = [(score, reason) for (a, b), (score, reason) in links.best.items() if person.id in (a, b)]
        direct = [edge for (a, b), edge in links.best.items() if {a, b} == {person.id, _NEW}]
        return max(direct or edges)[1]

    return [(found[p.id], why(p)) for p in group]


_NEW = 1 << 62  # the person being added, as duplicates sees them: no stored id is ever this large


def _initials(name: str) -> tuple[str, ...]:
    """A normalised name's initials of its first and last words, sorted: duplicates compares names at one company
    only when these agree ("Maya C.", "M. Chen" and "Chen Maya" all meet "Maya Chen")."""
    words = name.split()
    return tuple(sorted((words[0][0], words[-1][0]))) if words else ()


def duplicate_warning(name: str, alike: list[tuple[dict, str]], *, new_id: int | None = None) -> str:
    """One line: who `name` may already be, why, and (once saved as `new_id`) the merge that keeps the old record.

    "Maya Chen may already be here: #1 Maya Chen (Spotify), same name at Spotify. If so, merge: crm contact merge 1 2"
    """

    def label(person: dict) -> str:
        about = ", ".join(x for x in (person["company"], "archived" if person["archived"] else None) if x)
        return f"#{person['id']} {person['name']}" + (f" ({about})" if about else "")

    shown = alike[:3]
    who = "; ".join(f"{label(person)}, {reason}" for person, reason in shown)
    more = f"; and {len(alike) - 3} more (crm contact list --duplicates)" if len(alike) > 3 else ""
    text = f"{name} may already be here: {who}{more}."
    if new_id is not None:
        text += f" If so, merge: crm contact merge {shown[0][0]['id']} {new_id}"
    return text
