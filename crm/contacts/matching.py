"""Is this imported person someone crm already knows? One rule for every importer (vCard, LinkedIn, ...).

A person matches a contact by, in order:

1. normalised LinkedIn profile URL (`crm.contacts.fields.normalize_linkedin`);
2. email (`normalize_email`: trimmed, lower-case);
3. name and company, both compared with whitespace folded and case ignored (a missing company equals a missing
   company); when no contact has that very name there, the name accents aside too ("Tomas Villanueva" is the
   "Tomás Villanueva" added by hand: crm.store.dialect.fold_accents, as every lookup by name). A contact with
   another profile URL than the person's is a namesake, not a match; several contacts sharing the name and
   company make the match ambiguous (a list: the importer skips and says so).

Plain sqlite3 (a `crm.store.db.connect` connection or `raw_connection(session)`): one query loads every
contact, then each lookup is a dictionary access, so matching 30,000 people costs no more queries than one.
Importers `add` the contacts they create, so a file that names someone twice matches the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.contacts.fields import normalize_email, normalize_linkedin
from crm.errors import CrmError
from crm.store.dialect import fold_accents


def clean_linkedin(value: str | None) -> str | None:
    """The normalised profile URL, or None when `value` is empty or not a LinkedIn profile URL."""
    if not value or not value.strip():
        return None
    try:
        return normalize_linkedin(value)
    except CrmError:
        return None


def clean_email(value: str | None) -> str | None:
    """The normalised email, or None when `value` is empty or not an email address."""
    if not value or not value.strip():
        return None
    try:
        return normalize_email(value)
    except CrmError:
        return None


def name_key(name: str | None, company: str | None) -> tuple[str, str]:
    """What name-and-company matching compares: both with whitespace folded, case ignored."""
    return " ".join((name or "").split()).casefold(), " ".join((company or "").split()).casefold()


def loose_name_key(name: str | None, company: str | None) -> tuple[str, str]:
    """`name_key` with the name's accents ignored too (the company's case only, as ever)."""
    return fold_accents(" ".join((name or "").split())), " ".join((company or "").split()).casefold()


@dataclass(slots=True)
class Candidate:
    """A contact as matching sees it (values normalised). `id` is the contact's id."""

    id: int
    name: str
    email: str | None = None
    linkedin_url: str | None = None
    company: str | None = None


class ContactMatcher:
    """Every known contact by profile URL, email and (name, company)."""

    def __init__(self, candidates: list[Candidate] | tuple = ()) -> None:
        self.by_url: dict[str, Candidate] = {}
        self.by_email: dict[str, Candidate] = {}
        self.by_name: dict[tuple[str, str], list[Candidate]] = {}
        self.by_loose_name: dict[tuple[str, str], list[Candidate]] = {}
        for candidate in candidates:
            self.add(candidate)

    @classmethod
    def load(cls, conn) -> ContactMatcher:
        """Every contact in the database behind `conn` (archived ones too: they are still the same people)."""
        rows = conn.execute("SELECT id, name, email, linkedin_url, company FROM contact ORDER BY id")
        return cls([Candidate(*row) for row in rows])

    def add(self, candidate: Candidate) -> Candidate:
        """Know one more contact (one an import just created, or changed: call again after filling a field)."""
        if candidate.linkedin_url:
            self.by_url.setdefault(candidate.linkedin_url, candidate)
        if candidate.email:
            self.by_email.setdefault(candidate.email, candidate)
        for index, key in ((self.by_name, name_key), (self.by_loose_name, loose_name_key)):
            same = index.setdefault(key(candidate.name, candidate.company), [])
            if candidate not in same:
                same.append(candidate)
        return candidate

    def match(
        self,
        *,
        name: str | None,
        linkedin_url: str | None = None,
        email: str | None = None,
        company: str | None = None,
    ) -> Candidate | list[Candidate] | None:
        """The contact this person is: one Candidate, a list when name and company are ambiguous, else None.

        `linkedin_url` and `email` may be raw: they are normalised here (an unusable one is ignored).
        """
        url = clean_linkedin(linkedin_url)
        if url and url in self.by_url:
            return self.by_url[url]
        mail = clean_email(email)
        if mail and mail in self.by_email:
            return self.by_email[mail]
        if not name or not name.strip():
            return None
        same: list[Candidate] = []
        for index, key in ((self.by_name, name_key), (self.by_loose_name, loose_name_key)):  # that very name first
            # A contact with another profile URL than the person's is a namesake, not them.
            found = index.get(key(name, company), ())
            same = [c for c in found if not (url and c.linkedin_url and c.linkedin_url != url)]
            if same:
                break
        if len(same) > 1:
            return same
        return same[0] if same else None

    def email_taken(self, email: str | None, *, by_other_than: int | None = None) -> bool:
        """Does another contact already have this email (so it cannot be given to `by_other_than`)?"""
        mail = clean_email(email)
        found = self.by_email.get(mail) if mail else None
        return found is not None and found.id != by_other_than

    def linkedin_taken(self, url: str | None, *, by_other_than: int | None = None) -> bool:
        clean = clean_linkedin(url)
        found = self.by_url.get(clean) if clean else None
        return found is not None and found.id != by_other_than
