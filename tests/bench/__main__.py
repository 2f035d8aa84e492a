"""Benchmarks: every figure issue 12 asks for, from whole `crm` processes timed in one interleaved run.

Run from the repo root with `make bench`, or `.venv/bin/python -m tests.bench`. Options:
`--runs N` (timed runs per command, default 7), `--only SUBSTR` (figures whose name contains it),
`--write` (write tests/bench/bench-results.md and, for a full run, the README's Performance section),
`--strict` (exit 1 when a target is missed; otherwise the exit status is always 0).

How the timing works. Every command a selected figure needs (crm's, the hand-written floors', and
Taskwarrior's) gets one untimed warm-up, then N timed runs *round-robin*: one run of each command per
round, the order rotated each round, so machine noise hits ours and the baseline alike. Each figure is
the ratio of two medians (ours / baseline) or of a median to a fixed budget (50 ms, 100 ms...), with
the min-max of both sets of runs as its spread. crm commands run on a fresh copy of a cached synthetic
database (tests/bench/generate.py) with CRM_DB, CRM_TODAY and the XDG folders pointed into a scratch
folder, stdin from /dev/null and stdout to a pipe (never a terminal). Taskwarrior runs on a copy of a
cached data folder with its own TASKRC and TASKDATA (tests/bench/taskwarrior.py).

Floors are the same work done by hand: `python -c` + sqlite3 + the indexed query + json.dumps (plus
jinja2 for drafting). They import neither sqlmodel nor Typer/click: crm's read paths do not either, so
the floor is what our hot path could cost at best.

In-process figures: `crm.search.search_notes` timed in a subprocess (one fresh connection per call),
`crm.outreach.checks.check_message` in this process, and the TUI figures from tests/bench/tui.py.
PostgreSQL figures (`--only postgres`): tests/bench/postgres.py, on a throwaway local cluster it starts itself.

To add a figure: add the commands it times to COMMANDS and a Figure to FIGURES.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench import taskwarrior
from tests.bench.generate import DEFAULT_TODAY, cached_database, copy_database
from tests.bench.harness import clean_env, isolated_env

PYTHON = sys.executable
CRM = str(Path(sys.executable).parent / "crm")
REPO = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "bench-results.md"
README = REPO / "README.md"
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"
Log = Callable[[str], None]


# ---------------------------------------------------------------- what is timed


@dataclass(frozen=True)
class Db:
    """A synthetic database; commands naming the same Db share one scratch copy of it."""

    contacts: int
    interactions_per_contact: int = 10
    variant: str = ""  # another variant gets its own copy (e.g. one the setup commands have written to)
    setup: tuple[Callable[[Ctx], Sequence[str]], ...] = ()
    seed: int = 0
    today: dt.date = DEFAULT_TODAY

    @property
    def params(self) -> dict:
        return {
            "contacts": self.contacts,
            "interactions_per_contact": self.interactions_per_contact,
            "seed": self.seed,
            "today": self.today,
        }

    @property
    def label(self) -> str:
        return f"{_short(self.contacts)} contacts, {_short(self.contacts * self.interactions_per_contact)} interactions"


@dataclass(frozen=True)
class Ctx:
    """What a command builder may use."""

    python: str
    crm: str
    db: Path | None
    contacts: int

    @property
    def middle_id(self) -> int:
        """A contact in the middle of the generated ids (they run 1..contacts); every one has a hook."""
        return max(1, self.contacts // 2)


@dataclass(frozen=True)
class Cmd:
    """One command line, timed as a whole process."""

    key: str
    argv: Callable[[Ctx], Sequence[str]]
    db: Db | None  # None: Taskwarrior, which needs no crm database
    ok_codes: tuple[int, ...] = (0,)
    # A line about what the warm-up printed (e.g. how many follow-ups it listed), for the notes.
    describe: Callable[[str], str] | None = None
    # Why the command cannot run here (None when it can): checked before the warm-up.
    unavailable: Callable[[Ctx], str | None] | None = None


# ---------------------------------------------------------------- floors: the same work without crm

FLOOR_CONTACT_LIST = """
import json, os, sqlite3
conn = sqlite3.connect(os.environ["CRM_DB"])
rows = conn.execute('''
    SELECT c.id, c.name, c.email, c.company, c.team, c.role, c.stage,
           (SELECT max(i.date) FROM interaction i WHERE i.contact_id = c.id),
           (SELECT group_concat(t.tag, ',') FROM contact_tag t WHERE t.contact_id = c.id)
    FROM contact c WHERE c.archived = 0 ORDER BY lower(c.name), c.id
''').fetchall()
keys = ("id", "name", "email", "company", "team", "role", "stage", "last_interaction", "tags")
out = [dict(zip(keys, row)) for row in rows]
for item in out:
    item["tags"] = sorted(item["tags"].split(",")) if item["tags"] else []
print(json.dumps(out, ensure_ascii=False))
"""

FLOOR_CONTACT_SHOW = """
import json, os, sqlite3, sys
conn = sqlite3.connect(os.environ["CRM_DB"])
conn.row_factory = sqlite3.Row
cid = int(sys.argv[1])
data = dict(conn.execute("SELECT * FROM contact WHERE id = ?", (cid,)).fetchone())
data["tags"] = [r[0] for r in conn.execute("SELECT tag FROM contact_tag WHERE contact_id = ? ORDER BY tag", (cid,))]
data["hooks"] = [dict(r) for r in conn.execute(
    "SELECT text, url, date FROM hook WHERE contact_id = ? ORDER BY date DESC NULLS LAST, id DESC", (cid,))]
data["interactions"] = [dict(r) for r in conn.execute(
    "SELECT kind, date, notes, takeaways, next_step, follow_up, intro_to_id FROM interaction"
    " WHERE contact_id = ? ORDER BY date DESC, id DESC", (cid,))]
print(json.dumps(data, ensure_ascii=False))
"""

# `crm due --json` (default window: overdue plus the rest of this Monday-Sunday week) as one indexed query.
FLOOR_DUE = """
import datetime as dt, json, os, sqlite3
today = dt.date.fromisoformat(os.environ["CRM_TODAY"])
end_of_week = (today + dt.timedelta(days=6 - today.weekday())).isoformat()
today = today.isoformat()
conn = sqlite3.connect(os.environ["CRM_DB"])
rows = conn.execute('''
    SELECT id, name, company, next_follow_up, next_follow_up_reason FROM contact
    WHERE next_follow_up IS NOT NULL AND archived = 0 AND next_follow_up <= :end_of_week
    ORDER BY next_follow_up, lower(name), id
''', {"end_of_week": end_of_week}).fetchall()
out = [
    {"contact_id": cid, "name": name, "company": company, "due": due, "reason": reason, "overdue": due < today}
    for cid, name, company, due, reason in rows
]
print(json.dumps(out, ensure_ascii=False))
"""

# `crm draft --json`: fetch the contact, their newest hook and my profile and project, render the
# first-message template with sandboxed Jinja and check it, print JSON. The same job as ours: the spec's
# `draft --json` carries the check object, so the floor runs crm's checks too (imported directly: no CLI
# framework, no ORM, no store), with the contact's hook and team as what counts as personal.
FLOOR_DRAFT = """
import json, os, sqlite3, sys
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from crm.outreach.checks import Relationship, check_message
from crm.outreach.phrasing import role_phrase, their_work
conn = sqlite3.connect(os.environ["CRM_DB"])
cid = int(sys.argv[1])
name, team = conn.execute("SELECT name, team FROM contact WHERE id = ?", (cid,)).fetchone()
hook = conn.execute("SELECT text FROM hook WHERE contact_id = ? ORDER BY date DESC, id DESC LIMIT 1", (cid,)).fetchone()
me = dict(zip(("name", "school", "year", "major", "target"), conn.execute("SELECT name, school, year, major, target FROM me").fetchone()))
project = dict(zip(("name", "result"), conn.execute("SELECT name, result FROM project ORDER BY id LIMIT 1").fetchone()))
body = open(sys.argv[2]).read().split("#}", 1)[1]
env = SandboxedEnvironment(undefined=StrictUndefined)
env.filters["role"] = role_phrase
env.filters["work"] = their_work
text = env.from_string(body).render(contact={"first_name": name.split()[0]}, me=me, project=project,
                                    hook={"text": hook[0]}, question="how do you decide?")
check = check_message(text, personal_terms=[t for t in (hook[0], team) if t], relationship=Relationship())
print(json.dumps({"contact_id": cid, "template": "first-message", "text": text, "words": check.words,
                  "check": check.as_json()}))
"""
_TEMPLATE = str(REPO / "templates" / "first-message.j2")
# The floor plus only the imports of what `crm draft` does beyond it: parse its options (click) and look for the
# user's own template folder (platformdirs). Reported, not a target: how much of the gap those two imports are.
FLOOR_DRAFT_WITH_CLI_IMPORTS = "import click, platformdirs\n" + FLOOR_DRAFT

# `crm.search.search_notes` in process: one fresh connection per call (crm.store.db.connect, as the CLI
# opens it: WAL, busy timeout, foreign keys), so SQLite's page cache starts empty each time and only the
# OS's file cache is warm, as for `crm search` or the first keystroke of the app's filter. Imports and
# one warm-up call are not timed.
SEARCH_PROBE = """
import json, sys, time
from pathlib import Path
try:
    from crm.search import search_notes
    from crm.store.db import connect
except ImportError as exc:
    print(json.dumps({"unavailable": f"crm.search.search_notes cannot be imported ({exc})"}))
    raise SystemExit(0)
db, text, calls = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def once():
    started = time.perf_counter()
    conn = connect(db)
    hits = search_notes(conn, text, limit=50)
    conn.close()
    return time.perf_counter() - started, len(hits)
once()
samples, hits = [], 0
for _ in range(calls):
    took, hits = once()
    samples.append(took)
print(json.dumps({"samples": samples, "hits": hits}))
"""
SEARCH_TEXT = "playlist"  # generate.py puts it in ~3% of notes and one hook topic in 13

_PROFILE_SETUP = (
    lambda c: [c.crm, "me", "--name", "Alex Rivera", "--school", "MIT", "--year", "junior",
               "--major", "Course 6-3", "--target", "Product Manager at Spotify"],
    lambda c: [c.crm, "project", "add", "Campus music app API", "--result", "cut load time from 3.2s to 1.4s"],
)  # fmt: skip

DB_1K = Db(1_000)
DB_10K = Db(10_000)
DB_100K = Db(100_000)
DB_10K_DRAFT = Db(10_000, variant="draft", setup=_PROFILE_SETUP)  # a profile and a project to draft from


def _count(what: str) -> Callable[[str], str]:
    return lambda out: f"{len(json.loads(out)):,} {what}"


def _no_search(c: Ctx) -> str | None:
    proc = subprocess.run([c.crm, "search", "--help"], capture_output=True, text=True, env=_clean_env())
    return None if proc.returncode == 0 else "`crm search` does not exist yet"


def _no_taskwarrior(_c: Ctx) -> str | None:
    if taskwarrior.executable() is None:
        return "Taskwarrior (`task`) is not installed; `make bench` installs it with apt-get where it can"
    return None


COMMANDS: dict[str, Cmd] = {
    c.key: c
    for c in (
        Cmd("due", lambda c: [c.crm, "due", "--json"], DB_10K, describe=_count("follow-ups")),
        Cmd("due floor", lambda c: [c.python, "-c", FLOOR_DUE], DB_10K, describe=_count("follow-ups")),
        Cmd(
            "task",
            lambda c: [taskwarrior.executable() or "task", "due.before:eow", "export"],
            None,
            describe=_count("tasks"),
            unavailable=_no_taskwarrior,
        ),
        Cmd("contact list", lambda c: [c.crm, "contact", "list", "--json"], DB_10K, describe=_count("contacts")),
        Cmd("contact list floor", lambda c: [c.python, "-c", FLOOR_CONTACT_LIST], DB_10K),
        Cmd("contact show", lambda c: [c.crm, "contact", "show", str(c.middle_id), "--json"], DB_10K),
        Cmd("contact show floor", lambda c: [c.python, "-c", FLOOR_CONTACT_SHOW, str(c.middle_id)], DB_10K),
        Cmd("crm piped", lambda c: [c.crm], DB_10K, describe=lambda out: f"{len(out.splitlines())} lines"),
        Cmd(
            "search",
            lambda c: [c.crm, "search", SEARCH_TEXT, "--json"],
            DB_10K,
            describe=_count("hits"),
            unavailable=_no_search,
        ),
        Cmd("due 1k", lambda c: [c.crm, "due", "--json"], DB_1K, describe=_count("follow-ups")),
        Cmd("due 100k", lambda c: [c.crm, "due", "--json"], DB_100K, describe=_count("follow-ups")),
        Cmd(
            "draft",
            # first-message, as the floor renders; exit 1 only means a check failed (the draft is still printed)
            lambda c: [c.crm, "draft", str(c.middle_id), "--template", "first-message", "--json"],
            DB_10K_DRAFT,
            ok_codes=(0, 1),
        ),
        Cmd("draft floor", lambda c: [c.python, "-c", FLOOR_DRAFT, str(c.middle_id), _TEMPLATE], DB_10K_DRAFT),
        Cmd(
            "draft floor + cli imports",
            lambda c: [c.python, "-c", FLOOR_DRAFT_WITH_CLI_IMPORTS, str(c.middle_id), _TEMPLATE],
            DB_10K_DRAFT,
        ),
    )
}

# Timings measured in process rather than as commands (see PROBES below).
SEARCH_NOTES = "search_notes"
CHECK_100, CHECK_5000 = "check_message 100", "check_message 5000"


@dataclass(frozen=True)
class Figure:
    name: str
    ours: str  # a key of COMMANDS or a probe
    baseline: str | float  # a key, or a fixed budget in ms
    baseline_name: str  # how the target column names the baseline
    target: float | None  # the ratio to stay under; None: reported, no target
    stretch: bool = False  # a stretch target: missing it is reported, never a failure
    check: Callable[[str, str], str | None] | None = None  # (ours, baseline) warm-up outputs -> a problem


def _same_ids(ours: str, floor: str) -> str | None:
    mine, theirs = json.loads(ours), json.loads(floor)
    if [r["id"] for r in mine] != [r["id"] for r in theirs]:
        return f"ours listed {len(mine)} contacts, the floor {len(theirs)} (or in another order)"
    return None


def _same_contact(ours: str, floor: str) -> str | None:
    mine, theirs = json.loads(ours), json.loads(floor)
    if mine["id"] != theirs["id"] or len(mine["interactions"]) != len(theirs["interactions"]):
        return "ours and the floor show different contacts or timelines"
    return None


def _same_due(ours: str, floor: str) -> str | None:
    mine, theirs = json.loads(ours), json.loads(floor)
    if [r["contact_id"] for r in mine] != [r["contact_id"] for r in theirs]:
        return f"ours listed {len(mine)} follow-ups, the floor {len(theirs)} (or others, or in another order)"
    return None


def _same_draft(ours: str, floor: str) -> str | None:
    mine, theirs = json.loads(ours), json.loads(floor)
    if mine.get("contact_id") != theirs["contact_id"] or not mine.get("text"):
        return "ours drafted for another contact, or no text"
    if "problems" not in mine.get("check", {}) or "problems" not in theirs.get("check", {}):
        return "ours or the floor printed no check"
    if abs(len(mine["text"].split()) - theirs["words"]) > 25:
        return f"ours drafted {len(mine['text'].split())} words, the floor {theirs['words']}: not the same template?"
    return None


TASK = "Taskwarrior `task due.before:eow export`"
KEYSTROKE_MS = 50.0  # a fast typist's ~10 characters a second, rounded down
FIGURES: list[Figure] = [
    # issue 12, 1: start-up at 10k contacts against Taskwarrior on 10k tasks, and against the raw floor
    Figure("`crm due --json` (10k contacts) vs Taskwarrior (10k tasks)", "due", "task", TASK, 1.0),
    Figure(
        "`crm due --json` (10k contacts) vs raw floor",
        "due",
        "due floor",
        "the raw floor",
        4.0,
        stretch=True,
        check=_same_due,
    ),
    Figure("`crm contact list --json` (10k contacts) vs Taskwarrior", "contact list", "task", TASK, 1.0),
    Figure("`crm contact show N --json` (10k contacts) vs Taskwarrior", "contact show", "task", TASK, 1.0),
    Figure("`crm` piped, no command (10k contacts) vs Taskwarrior", "crm piped", "task", TASK, 1.0),
    Figure(
        "`crm contact list --json` (10k contacts) vs raw floor",
        "contact list",
        "contact list floor",
        "the raw floor",
        None,
        check=_same_ids,
    ),
    Figure(
        "`crm contact show N --json` (10k contacts) vs raw floor",
        "contact show",
        "contact show floor",
        "the raw floor",
        None,
        check=_same_contact,
    ),
    # 3: search
    Figure(
        f"`crm search {SEARCH_TEXT} --json` vs `crm due --json` (10k contacts)",
        "search",
        "due",
        "`crm due --json`",
        1.0,
    ),
    Figure(f"search_notes('{SEARCH_TEXT}') in process, 100k interactions", SEARCH_NOTES, 50.0, "50 ms", 1.0),
    # 4: scale
    Figure(
        "`crm due --json` at 100k contacts / 1M interactions vs at 1k / 10k", "due 100k", "due 1k", "its 1k time", 2.0
    ),
    # 5: drafting
    Figure("`crm draft N --json` (10k contacts) vs floor", "draft", "draft floor", "the floor", 1.0, check=_same_draft),
    Figure(
        "`crm draft N --json` (10k contacts) vs the floor with `import click, platformdirs` added",
        "draft",
        "draft floor + cli imports",
        "that floor",
        None,
        check=_same_draft,
    ),
    # The draft screen re-checks on every keystroke: a real message must cost a small part of one.
    Figure("check_message, 100 words", CHECK_100, KEYSTROKE_MS, "a keystroke (50 ms)", 0.1),
    Figure(
        "check_message, the longest message the cap allows (20,000 characters)",
        CHECK_5000,
        KEYSTROKE_MS,
        "a keystroke (50 ms)",
        1.0,
    ),
]
# Names of the rows tests/bench/tui.py makes, for --only (its rows are only known once it has run).
TUI_NAMES = "tui first paint this week; tui open contacts; tui filter keystroke; tui peak rss"


# ---------------------------------------------------------------- results


@dataclass
class Timing:
    samples: list[float] = field(default_factory=list)  # seconds
    output: str = ""  # the warm-up's stdout
    error: str | None = None
    unavailable: str | None = None
    note: str | None = None

    @property
    def ms(self) -> float | None:
        return statistics.median(self.samples) * 1000 if self.samples else None

    @property
    def spread(self) -> str:
        if not self.samples:
            return "-"
        digits = _digits(self.samples)
        return f"{min(self.samples) * 1000:.{digits}f}–{max(self.samples) * 1000:.{digits}f}"


@dataclass
class Row:
    figure: str
    ours: str
    baseline: str
    ratio: str
    target: str
    verdict: str  # met, missed, info, not available, error
    spread: str
    failed: bool = False  # counts against --strict

    def cells(self) -> list[str]:
        return [self.figure, self.ours, self.baseline, self.ratio, self.target, self.verdict, self.spread]


HEADERS = ["figure", "ours", "baseline", "ratio", "target", "verdict", "spread (min–max ms, ours / baseline)"]


def _digits(samples: Sequence[float]) -> int:
    return 2 if max(samples) < 0.01 else (1 if max(samples) < 0.1 else 0)


def _short(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def _ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"


def figure_row(figure: Figure, timings: dict[str, Timing]) -> Row:
    ours = timings[figure.ours]
    base = timings[figure.baseline] if isinstance(figure.baseline, str) else None
    base_ms = base.ms if base is not None else float(figure.baseline)
    target = "(reported)" if figure.target is None else f"<= {figure.target:g}x {figure.baseline_name}"
    if figure.stretch:
        target += " (stretch)"
    spread = ours.spread + (f" / {base.spread}" if base is not None else "")
    row = Row(figure.name, _ms(ours.ms), _ms(base_ms), "-", target, "", spread)
    for timing in (ours, base):
        if timing is not None and timing.unavailable:
            row.verdict = "not available"
            return row
    for timing in (ours, base):
        if timing is not None and (timing.error or timing.ms is None):
            row.verdict, row.failed = "error", True
            return row
    ratio = ours.ms / base_ms
    row.ratio = f"{ratio:.2f}x"
    if figure.target is None:
        row.verdict = "info"
    elif ratio <= figure.target:
        row.verdict = "met"
    else:
        row.verdict, row.failed = "missed", not figure.stretch
    return row


# ---------------------------------------------------------------- running


def _clean_env() -> dict[str, str]:
    return clean_env()


def _environment(folder: Path, db: Path | None, today: dt.date = DEFAULT_TODAY) -> dict[str, str]:
    return isolated_env(folder, db, today)


def _run_once(argv: Sequence[str], env: dict[str, str], cwd: Path, *, capture: bool, ok=(0,)) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(
        list(argv),
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if proc.returncode not in ok:
        shown = " ".join(a if len(a) < 60 else a[:57] + "..." for a in argv)
        raise RuntimeError(f"exit {proc.returncode} from {shown}: {proc.stderr.strip()[-500:]}")
    return elapsed, proc.stdout or ""


def _stale_schedule(db: Path) -> str | None:
    """A problem when the stored follow-ups do not match crm's settings here (the defaults: the config folder is empty)."""
    try:
        from crm.followups.freshness import is_current
        from crm.store.db import connect
        from crm.store.settings import Settings
    except ImportError:  # moved while crm is being changed: the warm-up would then pay for a recompute
        return None
    conn = connect(db)
    try:
        if is_current(conn, Settings()):
            return None
    finally:
        conn.close()
    return f"{db.name}: stored follow-ups are not current for the default settings (bump GENERATOR_VERSION)"


@dataclass
class Prepared:
    """A scratch copy of one database (or Taskwarrior's data) and the environment commands on it run in."""

    ctx: Ctx
    env: dict[str, str]
    cwd: Path
    problem: str | None = None


def _cached(spec: Db, log: Log, notes: list[str]) -> Path:
    """The cached database for `spec`, generated first (and said so in the notes) when missing."""
    source, took = cached_database(**spec.params, log=log)
    if took is not None:
        log(f"  generated {spec.label} in {took:.1f}s ({source.name})")
        notes.append(f"Generated the {spec.label} database in {took:.0f} s (cached for later runs).")
    return source


def _prepare_db(spec: Db, folder: Path, log: Log, notes: list[str]) -> Prepared:
    db = copy_database(_cached(spec, log, notes), folder)
    prepared = Prepared(Ctx(PYTHON, CRM, db, spec.contacts), _environment(folder, db, spec.today), folder / "cwd")
    prepared.problem = _stale_schedule(db)
    if prepared.problem is None:
        try:
            for step in spec.setup:
                _run_once(step(prepared.ctx), prepared.env, prepared.cwd, capture=True)
        except (RuntimeError, OSError) as exc:
            prepared.problem = f"setup failed: {exc}"
    return prepared


def _prepare_task(folder: Path, log: Log, notes: list[str]) -> Prepared:
    prepared = Prepared(Ctx(PYTHON, CRM, None, 0), _environment(folder, None), folder / "cwd")
    if taskwarrior.executable() is None:
        return prepared  # the command reports itself unavailable
    try:
        data, _ = taskwarrior.cached_taskdata(log=log)
    except (RuntimeError, OSError, ValueError) as exc:
        prepared.problem = f"Taskwarrior data could not be built: {exc}"
        return prepared
    copy = taskwarrior.copy_taskdata(data, folder)
    prepared.env = taskwarrior.environment(prepared.env, copy)
    notes.append(
        f"Taskwarrior {data.version}: {data.tasks:,} pending tasks, {data.due_before_eow} due before eow "
        f"({data.eow}); rc: defaults plus confirmation=no, isolated TASKRC/TASKDATA (tests/bench/taskwarrior.py)."
    )
    return prepared


def run_commands(keys: Sequence[str], runs: int, scratch: Path, log: Log, notes: list[str]) -> dict[str, Timing]:
    """Warm up, then time every command in `keys` round-robin, `runs` rounds."""
    timings = {key: Timing() for key in keys}
    places: dict[Db | None, Prepared] = {}
    for key in keys:
        spec = COMMANDS[key].db
        if spec in places:
            continue
        name = "taskwarrior" if spec is None else f"db-{spec.contacts}-{spec.variant or 'plain'}"
        folder = scratch / name
        folder.mkdir()
        places[spec] = _prepare_task(folder, log, notes) if spec is None else _prepare_db(spec, folder, log, notes)
    active: list[str] = []
    for key in keys:
        cmd, place, timing = COMMANDS[key], places[COMMANDS[key].db], timings[key]
        if place.problem:
            timing.error = place.problem
            continue
        if cmd.unavailable and (reason := cmd.unavailable(place.ctx)):
            timing.unavailable = reason
            continue
        try:
            _, timing.output = _run_once(cmd.argv(place.ctx), place.env, place.cwd, capture=True, ok=cmd.ok_codes)
            if cmd.describe:
                timing.note = cmd.describe(timing.output)
        except (RuntimeError, OSError, ValueError) as exc:
            timing.error = str(exc)
            continue
        active.append(key)
    task_place = places.get(None)
    before = taskwarrior.digest(Path(task_place.env["TASKDATA"]).parent) if "task" in active else None
    log(f"  timing {len(active)} commands round-robin, {runs} rounds: {', '.join(active)}")
    for round_no in range(runs):
        shift = round_no % max(1, len(active))
        for key in active[shift:] + active[:shift]:
            cmd, place, timing = COMMANDS[key], places[COMMANDS[key].db], timings[key]
            if timing.error:
                continue
            try:
                took, _ = _run_once(cmd.argv(place.ctx), place.env, place.cwd, capture=False, ok=cmd.ok_codes)
                timing.samples.append(took)
            except (RuntimeError, OSError) as exc:
                timing.error = str(exc)
    if before is not None:
        if taskwarrior.digest(Path(task_place.env["TASKDATA"]).parent) != before:
            notes.append("Taskwarrior wrote to its data files during the timed runs (a gc?): its figure includes that.")
        else:
            notes.append("Taskwarrior's data files were byte-identical after the timed runs: export wrote nothing.")
    return timings


def search_notes_timing(runs: int, scratch: Path, log: Log, notes: list[str]) -> Timing:
    timing = Timing()
    folder = scratch / "search-probe"
    folder.mkdir()
    db = copy_database(_cached(DB_10K, log, notes), folder)
    calls = max(runs, 5) * 3
    argv = [PYTHON, "-c", SEARCH_PROBE, str(db), SEARCH_TEXT, str(calls)]
    try:
        _, out = _run_once(argv, {**_environment(folder, db), "PYTHONPATH": str(REPO)}, REPO, capture=True)
        data = json.loads(out.strip().splitlines()[-1])
    except (RuntimeError, OSError, ValueError, IndexError) as exc:
        timing.error = str(exc)
        return timing
    if "unavailable" in data:
        timing.unavailable = data["unavailable"]
        return timing
    timing.samples = data["samples"]
    timing.note = f"{calls} calls, {data['hits']} hits each (limit 50), a fresh connection per call"
    return timing


def check_timings(runs: int) -> dict[str, Timing]:
    """check_message on a 100-word text and on a realistic one as long as the cap allows (20,000 characters, about
    3,300 words), a new text each call (no cache hit on the whole)."""
    from crm.outreach.checks import MAX_MESSAGE_CHARS, check_message

    timings = {}
    for key, words in ((CHECK_100, 100), (CHECK_5000, 5000)):
        sentence = (
            "I saw your post on reducing playlist-loading latency, which is close to my work on a campus app "
            "where I cut load time from 3.2s to 1.4s and learned a lot about caching. "
        )
        text = "Hi Maya, " + " ".join((sentence * (words // 30 + 1)).split()[:words])
        ending = " How do you decide between UX fixes and infrastructure?"
        text = text[: MAX_MESSAGE_CHARS - len(ending) - 8].rsplit(" ", 1)[0] + ending
        check_message(text, max_words=100)  # warm-up (regex compilation)
        timing = Timing()
        for n in range(max(runs, 5) * 3):
            typed = f"{text} {n}"
            started = time.perf_counter()
            check_message(typed, max_words=100, personal_terms=["post on reducing playlist-loading latency"])
            timing.samples.append(time.perf_counter() - started)
        timings[key] = timing
    return timings


def tui_rows(runs: int, scratch: Path, log: Log, notes: list[str]) -> list[Row]:
    """tests/bench/tui.py's figures at 10k contacts and at 100k, and 100k's first paint against 10k's.

    Uses tui.py's `measure_db` (figures as a dict) and `rows_for` (its rows and targets); falls back to
    its `tui_rows` (10k only) if those are gone.
    """
    try:
        from tests.bench import tui
    except ImportError as exc:
        return [Row("tui", "-", "-", "-", "-", "error", "-", failed=True)] + _note(notes, f"tui: {exc}")
    structured = hasattr(tui, "measure_db") and hasattr(tui, "rows_for")
    rows: list[Row] = []
    measured: dict[int, dict] = {}
    for spec in (DB_10K, DB_100K) if structured else (DB_10K,):
        size = _short(spec.contacts)
        log(f"running tui timings ({size} contacts) ...")
        folder = scratch / f"tui-{spec.contacts}"
        folder.mkdir()
        db = copy_database(_cached(spec, log, notes), folder)
        env = _environment(folder, db, spec.today)  # also makes the XDG folders both environments point at
        if hasattr(tui, "environment"):
            env = tui.environment(folder, db)
        try:
            if structured:
                figures = tui.measure_db(db, env, runs=runs)
                figures["contacts"] = spec.contacts
                measured[spec.contacts] = figures
                raw = tui.rows_for(figures)
            else:
                raw = tui.tui_rows(db, env, folder, runs)
        except (RuntimeError, OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            rows.append(Row(f"tui ({size} contacts)", "-", "-", "-", "-", "error", "-", failed=True))
            notes.append(f"tui ({size} contacts): {str(exc)[-300:]}")
            continue
        for cells in raw:
            name, ours, base, ratio, target, result = (list(cells) + ["-"] * 6)[:6]
            if spec is DB_100K and "one-Static" in name:
                continue  # issue 12 compares first paint with the bare app at 10k; at 100k, with 10k (below)
            if f"{size} contacts" not in name:
                name += f" ({size} contacts)"
            verdict = {"PASS": "met", "FAIL": "missed", "INFO": "info"}.get(result, "error")
            unit = "" if "RSS" in name else " ms"
            spread = "-"
            if name.startswith("tui first paint") and structured:
                spread = f"range {measured[spec.contacts].get('first_paint_spread_ms', 0):.0f}"
            rows.append(
                Row(name, _with_unit(ours, unit), _with_unit(base, unit), ratio, target, verdict, spread,
                    failed=verdict in ("missed", "error"))
            )  # fmt: skip
    if len(measured) == 2:
        big, small = measured[100_000]["first_paint_ms"], measured[10_000]["first_paint_ms"]
        limit = getattr(tui, "FIRST_PAINT_100K_VS_10K", 1.3)
        ratio = big / small
        rows.append(
            Row("tui first paint at 100k contacts vs at 10k", _ms(big), _ms(small), f"{ratio:.2f}x",
                f"<= {limit:g}x its 10k time", "met" if ratio <= limit else "missed", "-", failed=ratio > limit)
        )  # fmt: skip
    return rows


def _with_unit(value: str, unit: str) -> str:
    try:
        float(value)
    except ValueError:
        return value
    return value + unit


def _note(notes: list[str], text: str) -> list[Row]:
    notes.append(text)
    return []


# ---------------------------------------------------------------- output


def _text_table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [HEADERS, *rows]) for i in range(len(HEADERS))]
    lines = []
    for row in [HEADERS, *rows]:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        if row is HEADERS:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _markdown_table(rows: list[list[str]]) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(HEADERS), "|" + "|".join("---" for _ in HEADERS) + "|", *map(line, rows)])


def _command_line(argv: Sequence[str]) -> str:
    python = os.path.relpath(PYTHON, REPO) if PYTHON.startswith(str(REPO)) else PYTHON
    line = shlex.join([python, "-m", "tests.bench", *argv])
    return f"`make bench` (which ran `{line}`)" if os.environ.get("MAKELEVEL") else f"`{line}`"


def _machine() -> str:
    parts = [f"{os.cpu_count()} cores", f"{platform.system()} {platform.machine()}", f"Python {platform.python_version()}",
             f"SQLite {sqlite3.sqlite_version}"]  # fmt: skip
    task = taskwarrior.executable()
    if task:
        with contextlib.suppress(RuntimeError):
            parts.append(f"Taskwarrior {taskwarrior.version(task)}")
    return ", ".join(parts)


def write_results(rows: list[Row], notes: list[str], *, command: str, runs: int, only: str | None, took: float) -> str:
    """Write bench-results.md; returns the README section (heading, table, command, date)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    table = _markdown_table([r.cells() for r in rows])
    how = (
        f"Median of {runs} timed runs per command after one warm-up; every command of the run was timed "
        "round-robin in one loop, so ours and its baseline saw the same machine. Ratio = ours / baseline "
        "(medians). Spread: fastest–slowest run. Floors are `python -c` + sqlite3 + the query + json.dumps, "
        "with no ORM or CLI framework. Databases: synthetic (tests/bench/generate.py), CRM_TODAY="
        f"{DEFAULT_TODAY.isoformat()}."
    )
    made = f"Made by {command} on {stamp} ({_machine()}; the run took {took:.0f} s)."
    filtered = f"\n\nOnly figures matching `{only}`." if only else ""
    body = "\n".join(f"- {_one_line(n)}" for n in notes) if notes else "- none"
    RESULTS.write_text(
        f"# Benchmark results\n\n{made}{filtered}\n\n{how}\n\n{table}\n\n## Notes\n\n{body}\n", encoding="utf-8"
    )
    return (
        f"## Performance\n\nThe latest `make bench` (issue 12's figures; details and notes in "
        f"[tests/bench/bench-results.md](tests/bench/bench-results.md)):\n\n{table}\n\n{made}\n"
    )


def _one_line(note: str, limit: int = 600) -> str:
    """A note as one Markdown list item: whitespace (a traceback's line breaks) folded, long ones cut."""
    text = " ".join(note.split())
    return text if len(text) <= limit else "…" + text[-limit:]


def update_readme(section: str) -> None:
    text = README.read_text(encoding="utf-8")
    block = f"{README_START}\n{section}{README_END}"
    start, end = text.find(README_START), text.find(README_END)
    if start != -1 and end > start:
        text = text[:start] + block + text[end + len(README_END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


def compile_sources(log: Log) -> None:
    """Byte-compile crm/ first, as installing a wheel does: with PYTHONDONTWRITEBYTECODE set (as on these
    machines) an editable install would otherwise recompile every module on every timed run, while the
    floors' libraries (installed by pip) start from bytecode."""
    import compileall

    if not compileall.compile_dir(str(REPO / "crm"), quiet=1):
        log("compileall reported errors in crm/")


def linkedin_rows(runs: int, log: Log, notes: list[str]) -> list[Row]:
    """Issue 10's import figures (tests/bench/linkedin.py): first import vs sqlite-utils, and a re-import."""
    from tests.bench import linkedin

    log("timing crm import linkedin against sqlite-utils ...")
    try:
        raw = linkedin.rows_for(linkedin.measure_linkedin(runs=min(runs, 5), log=log))
    except (RuntimeError, OSError, ValueError) as exc:
        notes.append(f"linkedin import: {str(exc)[-300:]}")
        return [Row("`crm import linkedin`", "-", "-", "-", "-", "not available", "-")]
    rows = []
    for name, ours, base, ratio, target, result in raw:
        verdict = {"PASS": "met", "FAIL": "missed"}.get(result, result)
        rows.append(Row(name, f"{ours} ms", f"{base} ms", ratio, target, verdict, "-", failed=verdict == "missed"))
    return rows


def referral_bench_rows(runs: int, log: Log, notes: list[str]) -> list[Row]:
    """Issue 9's figures (tests/bench/referral.py): precision and recall on dev and held-out, check speed."""
    from tests.bench.referral import referral_rows

    log("scoring the referral detector ...")
    try:
        return [Row(**row) for row in referral_rows(runs)]
    except (RuntimeError, OSError, ValueError, TypeError) as exc:
        notes.append(f"referral: {str(exc)[-300:]}")
        return [Row("referral detector", "-", "-", "-", "-", "error", "-", failed=True)]


def stats_bench_rows(runs: int, log: Log, notes: list[str]) -> list[Row]:
    """Issue 13's figure (tests/bench/insights.py): `crm stats --json` against `crm due --json`."""
    from tests.bench.insights import stats_rows

    log("timing crm stats against crm due ...")
    try:
        return [Row(**row) for row in stats_rows(runs, log)]
    except (RuntimeError, OSError, ValueError, TypeError, KeyError) as exc:
        notes.append(f"stats: {str(exc)[-300:]}")
        return [Row("`crm stats --json`", "-", "-", "-", "-", "error", "-", failed=True)]


def postgres_bench_rows(runs: int, log: Log, notes: list[str]) -> list[Row]:
    """Issue 15's figures (tests/bench/postgres.py): `crm due --json` and the app's first paint on PostgreSQL, each
    against the same on SQLite; "not available" (and why, in the notes) where PostgreSQL's programs are missing."""
    from tests.bench.postgres import NAMES, postgres_rows

    log("timing crm on a local PostgreSQL against SQLite ...")
    try:
        return [Row(**row) for row in postgres_rows(runs, log, notes)]
    except (RuntimeError, OSError, ValueError, TypeError, KeyError, subprocess.SubprocessError) as exc:
        notes.append(f"postgres: {str(exc)[-300:]}")
        return [Row(name, "-", "-", "-", "-", "error", "-", failed=True) for name in NAMES]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (median is reported)")
    parser.add_argument("--only", metavar="SUBSTR", help="only figures whose name contains SUBSTR")
    parser.add_argument("--write", action="store_true", help="write bench-results.md and the README section")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any target is missed")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not Path(CRM).exists():
        print(f"no crm script at {CRM}: install the project into this interpreter's venv", file=sys.stderr)
        return 1 if args.strict else 0

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    compile_sources(log)
    only = args.only.lower() if args.only else None
    figures = [f for f in FIGURES if not only or only in f.name.lower()]
    with_tui = not only or only in TUI_NAMES or "tui" in only
    with_linkedin = not only or "linkedin" in only or "import" in only
    with_referral = not only or "referral" in only
    with_stats = not only or "stats" in only
    with_postgres = not only or "postgres" in only
    if not figures and not (with_tui or with_linkedin or with_referral or with_stats or with_postgres):
        log(f"no figure matches {args.only!r}")
        return 0
    keys = [k for f in figures for k in (f.ours, f.baseline) if isinstance(k, str) and k in COMMANDS]
    keys = list(dict.fromkeys(keys))
    notes: list[str] = []
    timings: dict[str, Timing] = {}
    with tempfile.TemporaryDirectory(prefix="crm-bench-") as scratch_name:
        scratch = Path(scratch_name)
        if keys:
            log(f"running {len(keys)} commands ...")
            timings.update(run_commands(keys, args.runs, scratch, log, notes))
        if any(f.ours == SEARCH_NOTES for f in figures):
            log("running search_notes in process ...")
            timings[SEARCH_NOTES] = search_notes_timing(args.runs, scratch, log, notes)
        if any(f.ours in (CHECK_100, CHECK_5000) for f in figures):
            timings.update(check_timings(args.runs))
        rows = [figure_row(f, timings) for f in figures]
        if with_tui:
            rows += tui_rows(args.runs, scratch, log, notes)
        if with_linkedin:
            rows += linkedin_rows(args.runs, log, notes)
        if with_referral:
            rows += referral_bench_rows(args.runs, log, notes)
        if with_stats:
            rows += stats_bench_rows(args.runs, log, notes)
        if with_postgres:
            rows += postgres_bench_rows(args.runs, log, notes)
    printed = [f"{key}: {timing.note}" for key, timing in timings.items() if timing.note]
    if printed:
        notes.append("What the warm-ups printed or did: " + "; ".join(printed) + ".")
    for key, timing in timings.items():
        if timing.unavailable:
            notes.append(f"{key}: not available: {timing.unavailable}")
        if timing.error:
            notes.append(f"{key}: {timing.error}")
    for figure in figures:
        ours, base = timings[figure.ours], timings.get(figure.baseline) if isinstance(figure.baseline, str) else None
        if figure.check and base is not None and ours.output and base.output:
            try:
                problem = figure.check(ours.output, base.output)
            except (ValueError, KeyError, TypeError) as exc:
                problem = f"outputs could not be compared ({exc})"
            if problem:
                notes.append(f"{figure.name}: {problem}")
    took = time.perf_counter() - started
    print(f"median of {args.runs} runs each (after one warm-up), all commands alternated; {_machine()}")
    print(_text_table([r.cells() for r in rows]))
    for note in notes:
        print(f"note: {note}")
    print(f"took {took:.0f}s")
    if args.write:
        section = write_results(
            rows, notes, command=_command_line(list(argv if argv is not None else sys.argv[1:])),
            runs=args.runs, only=args.only, took=took,
        )  # fmt: skip
        log(f"wrote {RESULTS.relative_to(REPO)}")
        if args.only:
            log("README.md not updated: --only ran part of the figures")
        else:
            update_readme(section)
            log("updated README.md's Performance section")
    return 1 if (args.strict and any(r.failed for r in rows)) else 0


if __name__ == "__main__":
    sys.exit(main())
