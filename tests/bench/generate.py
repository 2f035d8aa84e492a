"""Synthetic networks for the benchmarks: realistic-looking contacts, hooks, tags and interactions.

The schema always comes from the real Alembic migrations (`crm.store.db.open_engine`); rows are then
bulk-inserted with the stdlib `sqlite3` module, which is far faster than going through the ORM.
Only the columns listed below are written: columns added by later migrations get their defaults, and the
reply credit (migration 0009: interaction.replies_to_id, days_to_reply) is filled by its triggers as the rows go in.
Finally the stored schedule (stage, next follow-up, the settings fingerprint in `meta`) is filled in
by the real `crm.followups.writes.recompute_all`, so a timed command never has to recompute it.

Every contact gets exactly `interactions_per_contact` interactions, shaped so the network looks like
a real one a few weeks into using crm (shares of contacts):
  cold       ~60%  never contacted: research notes only, nothing scheduled
  nudged     ~13%  two messages (the first and its nudge), no reply: nothing scheduled
  awaiting    ~2%  one message in the last two weeks: the nudge comes due 7 business days later
  engaged    ~25%  messages, replies, chats, intros..., ending with my message within the last cadence
                   period (keep in touch by cadence); a few end with a reply not yet answered, a few
                   have a date the user set. About 5% of all contacts are archived.
so `crm due` (overdue plus the rest of the week) lists about 4% of the network (~1% overdue).

Search (`crm search playlist`): about 3% of interaction notes and one hook topic in 13 mention playlists,
so "playlist" matches a few thousand entries at 100k interactions (a common word for this user, not a
rare one: FTS5 ranks every match before the limit applies). The full-text index (migration 0004) is
filled by its triggers as the rows are inserted, in the state a long-used database's index is in
(several segments, automerged, not `optimize`d): the harder case for search.

Generated databases are cached under tests/bench/.cache/ keyed by their parameters, the schema
revision, the follow-up rules version and GENERATOR_VERSION (bump it whenever the data generated
here changes); building one drops the entries for the same parameters under older keys. Building
takes about 1 s for 1k contacts, 7 s for 10k and 75 s for 100k contacts / 1M interactions on the
2-core bench machine (most of it inserting rows through the search index's triggers), so a change
of schema revision or rules costs the next `make bench` about a minute and a half.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

GENERATOR_VERSION = 3
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
# (profile, weight): see the module docstring.
PROFILES = (("cold", 60), ("nudged", 13), ("awaiting", 2), ("engaged", 25))
# Kinds in the middle of an engaged history (it starts with my message and their reply, ends with my message).
ENGAGED_KINDS = (("message", 35), ("reply", 22), ("chat", 14), ("intro", 4), ("referral", 2), ("note", 23))
PENDING_REPLY_SHARE = 0.02  # engaged contacts whose last reply (in the last 3 days) I have not answered yet
PLANNED_SHARE = 0.03  # engaged contacts with a follow-up date the user set (`crm log --follow-up`)
PLAN_NOTES = ("coffee after their launch", "ask about the summer team match", None)
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
    "ad auctions", "streaming infrastructure", "developer portals", "playlist personalization",
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
PLAYLIST_NOTE_SHARE = 0.03  # interactions whose notes mention playlists (what the search benchmark looks for)
PLAYLIST_NOTES = (
    "Walked me through how the playlist-loading latency work was measured.",
    "They own the editorial playlist tooling; asked how curators and models share the work.",
    "Talked about cold-start playlists for new users and what signals they trust first.",
)
TAKEAWAYS = ("Focus on impact metrics", "Mentioned an open headcount", "Likes concise messages", None, None, None)
NEXT_STEPS = ("Send project write-up", "Follow up after the launch", "Ask for an intro to the manager", None, None)

CONTACT_COLUMNS = (
    "id", "name", "email", "linkedin_url", "company", "team", "role", "school", "grad_year", "program",
    "location", "source", "cadence", "notes", "introduced_by_id", "stage", "archived", "created_at", "updated_at",
    "follow_up_on", "follow_up_note", "follow_up_after_id",
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


def _cadence_days(text: str | None, today: dt.date) -> int:
    from crm.followups.cadence import parse_cadence
    from crm.store.settings import Settings

    return (parse_cadence(text or Settings().default_cadence).next_after(today) - today).days


def _history(rng: random.Random, profile: str, *, count: int, today: dt.date, span_days: int, cadence_days: int):
    """(kind, date) pairs in date order for one contact of this profile."""
    if count <= 0:
        return []

    def spread(first: dt.date, last: dt.date, n: int) -> list[dt.date]:
        width = max(0, (last - first).days)
        return sorted(first + dt.timedelta(days=rng.randint(0, width)) for _ in range(n))

    oldest = today - dt.timedelta(days=span_days - 1)
    if profile == "cold":
        return [("note", day) for day in spread(oldest, today, count)]
    if profile == "nudged":
        days = spread(oldest, today - dt.timedelta(days=14), count)
        kinds = ["note"] * count
        for position in rng.sample(range(count), min(2, count)):
            kinds[position] = "message"
        return list(zip(kinds, days, strict=True))
    if profile == "awaiting":
        sent = today - dt.timedelta(days=rng.randrange(14))
        return [*(("note", day) for day in spread(oldest, sent, count - 1)), ("message", sent)]
    # engaged: my message, their reply, a mix, then my latest message (or their unanswered reply)
    pending = rng.random() < PENDING_REPLY_SHARE
    last = today - dt.timedelta(days=rng.randrange(3) if pending else rng.randrange(cadence_days))
    first = last - dt.timedelta(days=rng.randrange(30, span_days))
    days = [first, *spread(first, last, max(0, count - 2)), last][:count]
    middle = [_weighted(rng, ENGAGED_KINDS) for _ in range(max(0, count - 3))]
    kinds = ["message", "reply", *middle, "reply" if pending else "message"]
    if count < len(kinds):
        kinds = kinds[: count - 1] + kinds[-1:] if count > 1 else ["message"]
    return list(zip(kinds, days, strict=True))


def _rows(*, contacts: int, interactions_per_contact: int, seed: int, today: dt.date):
    """Return (contact_rows, tag_rows, hook_rows, interaction_rows) lists, all at once."""
    rng = random.Random(seed)
    span_days = 730  # interactions fall within the two years before `today`
    midnight = dt.datetime(today.year, today.month, today.day)
    contact_rows, tag_rows, hook_rows, interaction_rows = [], [], [], []
    company_weights = [c[1] for c in COMPANIES]
    profiles = rng.choices([p[0] for p in PROFILES], weights=[p[1] for p in PROFILES], k=contacts)
    # Intros point at people I already talk to, so they never leave a first message overdue for years.
    engaged_ids = [cid for cid, profile in enumerate(profiles, start=1) if profile == "engaged"]
    cadence_days = {text: _cadence_days(text, today) for text in (None, *CADENCES)}
    hook_id = interaction_id = 0
    for cid in range(1, contacts + 1):
        profile = profiles[cid - 1]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {last}"
        company, _, teams = rng.choices(COMPANIES, weights=company_weights)[0]
        domain = f"{_slug(company)}.com" if company else rng.choice(("gmail.com", "outlook.com"))
        handle = f"{_slug(first)}.{_slug(last)}{cid}"
        created = midnight - dt.timedelta(days=span_days + 30) + dt.timedelta(seconds=rng.randrange(span_days * 86400))
        updated = min(created + dt.timedelta(days=rng.randrange(0, 400)), midnight)
        cadence = rng.choice(CADENCES) if rng.random() < 0.3 else None
        history = _history(
            rng,
            profile,
            count=interactions_per_contact,
            today=today,
            span_days=span_days,
            cadence_days=cadence_days[cadence],
        )
        planned = None
        if profile == "engaged" and history and history[-1][0] == "message" and rng.random() < PLANNED_SHARE:
            planned = today + dt.timedelta(days=rng.randrange(1, 45))
        last_interaction_id = interaction_id + len(history)
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
                cadence,
                rng.choice(NOTES),
                rng.randrange(1, cid) if cid > 1 and rng.random() < 0.05 else None,
                "identified",  # recompute_all derives the real stage from the history
                1 if rng.random() < 0.05 else 0,
                _stamp(created),
                _stamp(updated),
                planned.isoformat() if planned else None,
                rng.choice(PLAN_NOTES) if planned else None,
                last_interaction_id if planned else None,
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
        for position, (kind, day) in enumerate(history):
            interaction_id += 1
            # A follow-up date set on an older interaction was met by the next one (it never outlives it).
            follow_up = None
            if interaction_id == last_interaction_id:
                follow_up = planned
            elif kind != "note" and rng.random() < 0.1:
                follow_up = min(day + dt.timedelta(days=rng.choice((7, 14, 28))), history[position + 1][1])
            intro_to = None
            if kind == "intro" and engaged_ids:
                intro_to = rng.choice(engaged_ids)
                intro_to = intro_to if intro_to != cid else None
            interaction_rows.append(
                (
                    interaction_id,
                    cid,
                    kind,
                    day.isoformat(),
                    rng.choice(PLAYLIST_NOTES) if rng.random() < PLAYLIST_NOTE_SHARE else rng.choice(NOTES),
                    rng.choice(TAKEAWAYS),
                    rng.choice(NEXT_STEPS),
                    follow_up.isoformat() if follow_up else None,
                    intro_to,
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
    log: Callable[[str], None] | None = None,
) -> Path:
    """Create a migrated database at `path` (which must not exist yet) and fill it with a synthetic network.

    Contact ids run 1..contacts, so `contacts // 2` is a contact in the middle. The stored schedule
    is computed by crm itself and stamped with the default settings' fingerprint.
    """
    from crm.followups.freshness import is_current
    from crm.followups.writes import recompute_all
    from crm.store.db import connect, make_engine, open_engine, write_session
    from crm.store.settings import Settings

    path = Path(path)
    if path.exists():
        raise FileExistsError(path)
    started = time.perf_counter()

    def phase(what: str) -> None:
        nonlocal started
        now = time.perf_counter()
        if log:
            log(f"    {what}: {now - started:.2f}s")
        started = now

    open_engine(path, create_folder=True).dispose()
    phase("migrate")
    rows = _rows(contacts=contacts, interactions_per_contact=interactions_per_contact, seed=seed, today=today)
    phase(f"make rows ({sum(len(r) for r in rows):,})")
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
    finally:
        conn.close()
    del rows
    phase("insert")
    settings = Settings()  # what crm loads under the benchmark's empty XDG_CONFIG_HOME
    engine = make_engine(path)
    try:
        with write_session(engine) as session:
            recompute_all(session, settings)
        check = connect(path)
        try:
            if not is_current(check, settings):
                raise RuntimeError(f"{path}: schedule still not current after recompute_all")
        finally:
            check.close()
    finally:
        engine.dispose()
    phase("recompute schedule (crm.followups.writes.recompute_all)")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the cache is copied without its -wal file
    finally:
        conn.close()
    return path


def cache_key(
    *, contacts: int, interactions_per_contact: int = 10, seed: int = 0, today: dt.date = DEFAULT_TODAY
) -> str:
    from crm.followups.freshness import RULES_VERSION
    from crm.store.db import HEAD_REVISION

    return (
        f"crm-r{HEAD_REVISION}-f{RULES_VERSION}-g{GENERATOR_VERSION}"
        f"-c{contacts}-i{interactions_per_contact}-s{seed}-{today:%Y%m%d}.db"
    )


def cached_database(
    *,
    contacts: int,
    interactions_per_contact: int = 10,
    seed: int = 0,
    today: dt.date = DEFAULT_TODAY,
    log: Callable[[str], None] | None = None,
) -> tuple[Path, float | None]:
    """The cached database for these parameters, building it first if needed.

    Returns (path, seconds spent generating, or None when it came from the cache). Never time
    commands against this file directly: copy it first (see `copy_database`).
    """

    params = {"contacts": contacts, "interactions_per_contact": interactions_per_contact, "seed": seed, "today": today}
    target = CACHE_DIR / cache_key(**params)
    if target.exists():
        return target, None
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=CACHE_DIR) as scratch:
        built = build_database(Path(scratch) / target.name, **params, log=log)
        os.replace(built, target)  # atomic: a crashed run never leaves a half-built cache entry
    # The same network built for an older schema, rules or generator is never used again (the 100k one is ~0.5 GB).
    for stale in CACHE_DIR.glob(f"crm-*-c{contacts}-i{interactions_per_contact}-s{seed}-{today:%Y%m%d}.db"):
        if stale != target:
            stale.unlink(missing_ok=True)
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
        contacts=args.contacts,
        interactions_per_contact=args.interactions_per_contact,
        seed=args.seed,
        log=lambda message: print(message, flush=True),
    )
    print(db, "(cached)" if took is None else f"(built in {took:.2f}s)")
