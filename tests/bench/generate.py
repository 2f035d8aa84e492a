"""Synthetic networks for the benchmarks: realistic-looking contacts, hooks, tags and interactions.

The schema always comes from the real Alembic migrations (`crm.db.open_engine`); rows are then
bulk-inserted with the stdlib `sqlite3` module, which is far faster than going through the ORM.
Only the columns listed below are written: columns added by later migrations get their defaults.

Generated databases are cached under tests/bench/.cache/ keyed by their parameters, the schema
revision and GENERATOR_VERSION (bump it whenever the data generated here changes).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import tempfile
from pathlib import Path

GENERATOR_VERSION = 1
DEFAULT_TODAY = dt.date(2026, 11, 25)
CACHE_DIR = Path(__file__).resolve().parent / ".cache"

FIRST_NAMES = (
    "Maya", "Liam", "Olivia", "Noah", "Emma", "Aarav", "Sofia", "Lucas", "Isabella", "Ethan",
    "Mia", "Mateo", "Amelia", "Hiroshi", "Chloe", "Wei", "Priya", "Diego", "Fatima", "Jonas",
    "Elena", "Kwame", "Ingrid", "Omar", "Lena", "Ravi", "Zoe", "Felix", "Ana", "Yuki",
    "Samuel", "Aisha", "Erik", "Nadia", "Carlos", "Hannah", "Arjun", "Freya", "Malik", "Clara",
    "Tomás", "Leila", "Oskar", "Mei", "Daniel", "Astrid", "Kofi", "Julia", "Sven", "Rosa",
)  # fmt: skip
LAST_NAMES = (
    "Chen", "Smith", "Johansson", "Patel", "Garcia", "Nguyen", "Kim", "Müller", "Rossi", "Okafor",
    "Andersson", "Tanaka", "Silva", "Cohen", "Kowalski", "Ibrahim", "Larsen", "Dubois", "Singh", "Martinez",
    "Lindqvist", "Hernández", "Park", "Williams", "Schmidt", "Costa", "Mensah", "Nilsson", "Ali", "Brown",
    "Eriksson", "Rahman", "Fischer", "Moreau", "Wang", "Lopez", "Berg", "Sato", "Novak", "Hughes",
)  # fmt: skip
# (company, weight, teams)
COMPANIES = (
    ("Spotify", 80, ("Personalization", "Search", "Podcasts", "Ads", "Platform", "Data Infrastructure",
                     "Payments", "Audiobooks", "Growth", "Design Systems", "Trust & Safety", "Backstage")),
    ("Google", 5, ("Search", "Cloud", "YouTube", "Android")),
    ("Meta", 4, ("Reality Labs", "Instagram", "Infra")),
    ("Stripe", 4, ("Payments", "Billing", "Risk")),
    ("Figma", 3, ("Editor", "Growth")),
    ("Klarna", 2, ("Checkout", "Data")),
    (None, 2, (None,)),
)  # fmt: skip
ROLES = (
    "Software Engineer", "Senior Software Engineer", "Staff Engineer", "Engineering Manager",
    "Data Scientist", "Machine Learning Engineer", "Product Manager", "Product Designer",
    "Data Engineer", "Research Scientist", "Recruiter", "Technical Program Manager",
)  # fmt: skip
SCHOOLS = ("MIT", "Stanford", "KTH", "UC Berkeley", "CMU", "Georgia Tech", "UIUC", "Waterloo")
PROGRAMS = ("Course 6", "Computer Science", "EECS", "Data Science", "Mathematics", "HCI", "Physics")
LOCATIONS = ("Stockholm", "New York", "London", "Boston", "San Francisco", "Berlin", "Toronto", "Remote")
SOURCES = ("alumni directory", "LinkedIn", "career fair", "meetup", "referral", "conference", "cold email")
CADENCES = ("every 4 weeks", "monthly", "quarterly", "every 2 weeks", "every 6 weeks")
TAGS = ("alumni", "ml", "backend", "design", "recruiter", "mentor", "frontend", "data", "pm", "intern-host")
STAGES = (("identified", 30), ("contacted", 30), ("replied", 20), ("chatted", 15), ("advocate", 5))
KINDS = (("message", 35), ("reply", 25), ("chat", 15), ("intro", 5), ("referral", 3), ("note", 17))
HOOK_TEXTS = (
    "Wrote a blog post on {topic}",
    "Gave a talk at {event} about {topic}",
    "Launched a new {topic} feature",
    "Podcast appearance discussing {topic}",
    "Open-sourced a {topic} library",
    "Shared a thread on lessons from {topic}",
)
TOPICS = (
    "recommendation systems", "A/B testing at scale", "podcast discovery", "feature stores",
    "ranking models", "data contracts", "on-call culture", "design tokens", "search relevance",
    "ad auctions", "streaming infrastructure", "developer portals",
)  # fmt: skip
EVENTS = ("QCon", "PyCon", "RecSys", "KubeCon", "NeurIPS", "Config", "a campus meetup")
NOTES = (
    "Talked about the team's roadmap and how interns ramp up.",
    "Sent a short intro mentioning the shared school.",
    "Asked about their path from research into product work.",
    "They suggested reading the engineering blog before the next chat.",
    "Quick check-in; they are busy with a launch this month.",
    None,
    None,
)
TAKEAWAYS = ("Focus on impact metrics", "Mentioned an open headcount", "Likes concise messages", None, None, None)
NEXT_STEPS = ("Send project write-up", "Follow up after the launch", "Ask for an intro to the manager", None, None)

CONTACT_COLUMNS = (
    "id", "name", "email", "linkedin_url", "company", "team", "role", "school", "grad_year", "program",
    "location", "source", "cadence", "notes", "introduced_by_id", "stage", "archived", "created_at", "updated_at",
)  # fmt: skip
TAG_COLUMNS = ("contact_id", "tag")
HOOK_COLUMNS = ("id", "contact_id", "text", "url", "date", "created_at")
INTERACTION_COLUMNS = (
    "id", "contact_id", "kind", "date", "notes", "takeaways", "next_step", "follow_up", "intro_to_id", "created_at",
)  # fmt: skip


def _stamp(value: dt.datetime) -> str:
    """The text SQLAlchemy's DateTime stores in SQLite, e.g. '2026-11-25 19:35:57.000000'."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _weighted(rng: random.Random, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


def _rows(*, contacts: int, interactions_per_contact: int, seed: int, today: dt.date):
    """Return (contact_rows, tag_rows, hook_rows, interaction_rows) lists, all at once."""
    rng = random.Random(seed)
    span_days = 730  # interactions fall within the two years before `today`
    midnight = dt.datetime(today.year, today.month, today.day)
    contact_rows, tag_rows, hook_rows, interaction_rows = [], [], [], []
    company_weights = [c[1] for c in COMPANIES]
    hook_id = interaction_id = 0
    for cid in range(1, contacts + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {last}"
        company, _, teams = rng.choices(COMPANIES, weights=company_weights)[0]
        domain = f"{_slug(company)}.com" if company else rng.choice(("gmail.com", "outlook.com"))
        handle = f"{_slug(first)}.{_slug(last)}{cid}"
        created = midnight - dt.timedelta(days=span_days + 30) + dt.timedelta(seconds=rng.randrange(span_days * 86400))
        updated = min(created + dt.timedelta(days=rng.randrange(0, 400)), midnight)
        contact_rows.append(
            (
                cid,
                name,
                f"{handle}@{domain}" if rng.random() < 0.8 else None,
                f"https://www.linkedin.com/in/{handle.replace('.', '-')}" if rng.random() < 0.7 else None,
                company,
                rng.choice(teams),
                rng.choice(ROLES),
                rng.choice(SCHOOLS) if rng.random() < 0.6 else None,
                rng.randrange(2005, today.year + 1) if rng.random() < 0.5 else None,
                rng.choice(PROGRAMS) if rng.random() < 0.4 else None,
                rng.choice(LOCATIONS),
                rng.choice(SOURCES),
                rng.choice(CADENCES) if rng.random() < 0.3 else None,
                rng.choice(NOTES),
                rng.randrange(1, cid) if cid > 1 and rng.random() < 0.05 else None,
                _weighted(rng, STAGES),
                1 if rng.random() < 0.05 else 0,
                _stamp(created),
                _stamp(updated),
            )
        )
        # ~1 tag per contact: most have one, some none, some two.
        roll = rng.random()
        count = 0 if roll < 0.15 else (2 if roll > 0.85 else 1)
        for tag in rng.sample(TAGS, count):
            tag_rows.append((cid, tag))
        for _ in range(rng.choice((1, 1, 2, 2, 2))):
            hook_id += 1
            day = today - dt.timedelta(days=rng.randrange(span_days))
            topic = rng.choice(TOPICS)
            text = rng.choice(HOOK_TEXTS).format(topic=topic, event=rng.choice(EVENTS))
            hook_rows.append(
                (
                    hook_id,
                    cid,
                    text,
                    f"https://example.com/{handle}/{hook_id}" if rng.random() < 0.6 else None,
                    day.isoformat() if rng.random() < 0.8 else None,
                    _stamp(midnight - dt.timedelta(seconds=rng.randrange(span_days * 86400))),
                )
            )
        for _ in range(interactions_per_contact):
            interaction_id += 1
            day = today - dt.timedelta(days=rng.randrange(span_days))
            kind = _weighted(rng, KINDS)
            follow_up = day + dt.timedelta(days=rng.choice((7, 14, 28))) if rng.random() < 0.2 else None
            intro_to = rng.randrange(1, contacts + 1) if kind == "intro" and contacts > 1 else None
            interaction_rows.append(
                (
                    interaction_id,
                    cid,
                    kind,
                    day.isoformat(),
                    rng.choice(NOTES),
                    rng.choice(TAKEAWAYS),
                    rng.choice(NEXT_STEPS),
                    follow_up.isoformat() if follow_up else None,
                    intro_to if intro_to != cid else None,
                    _stamp(dt.datetime(day.year, day.month, day.day) + dt.timedelta(seconds=rng.randrange(86400))),
                )
            )
    return contact_rows, tag_rows, hook_rows, interaction_rows


def _insert(conn: sqlite3.Connection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    marks = ", ".join("?" for _ in columns)
    conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def build_database(
    path: str | os.PathLike[str],
    *,
    contacts: int,
    interactions_per_contact: int = 10,
    seed: int = 0,
    today: dt.date = DEFAULT_TODAY,
) -> Path:
    """Create a migrated database at `path` (which must not exist yet) and fill it with a synthetic network.

    Contact ids run 1..contacts, so `contacts // 2` is a contact in the middle.
    """
    from crm.db import open_engine

    path = Path(path)
    if path.exists():
        raise FileExistsError(path)
    open_engine(path, create_folder=True).dispose()
    rows = _rows(contacts=contacts, interactions_per_contact=interactions_per_contact, seed=seed, today=today)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("BEGIN")
        for table, columns, table_rows in zip(
            ("contact", "contact_tag", "hook", "interaction"),
            (CONTACT_COLUMNS, TAG_COLUMNS, HOOK_COLUMNS, INTERACTION_COLUMNS),
            rows,
            strict=True,
        ):
            _insert(conn, table, columns, table_rows)
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path


def cache_key(
    *, contacts: int, interactions_per_contact: int = 10, seed: int = 0, today: dt.date = DEFAULT_TODAY
) -> str:
    from crm.db import HEAD_REVISION

    return (
        f"crm-r{HEAD_REVISION}-g{GENERATOR_VERSION}-c{contacts}-i{interactions_per_contact}-s{seed}-{today:%Y%m%d}.db"
    )


def cached_database(
    *, contacts: int, interactions_per_contact: int = 10, seed: int = 0, today: dt.date = DEFAULT_TODAY
) -> tuple[Path, float | None]:
    """The cached database for these parameters, building it first if needed.

    Returns (path, seconds spent generating, or None when it came from the cache). Never time
    commands against this file directly: copy it first (see `copy_database`).
    """
    import time

    params = {"contacts": contacts, "interactions_per_contact": interactions_per_contact, "seed": seed, "today": today}
    target = CACHE_DIR / cache_key(**params)
    if target.exists():
        return target, None
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=CACHE_DIR) as scratch:
        built = build_database(Path(scratch) / target.name, **params)
        os.replace(built, target)  # atomic: a crashed run never leaves a half-built cache entry
    return target, time.perf_counter() - started


def copy_database(source: Path, folder: Path) -> Path:
    """A private copy of `source` in `folder` (the main file only: the cache is checkpointed)."""
    import shutil

    destination = folder / "crm.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{destination}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, destination)
    destination.chmod(0o600)
    return destination


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Build (or find cached) a synthetic crm database.")
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--interactions-per-contact", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    db, took = cached_database(
        contacts=args.contacts, interactions_per_contact=args.interactions_per_contact, seed=args.seed
    )
    print(db, "(cached)" if took is None else f"(built in {took:.2f}s)")
