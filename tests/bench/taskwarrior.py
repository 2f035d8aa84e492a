"""Taskwarrior as the baseline for `crm due`: 10,000 pending tasks, about 4% due by the end of this week.

issue 12 asks that `crm due --json` at 10k contacts take no longer than `task due.before:eow export` on
10,000 pending tasks. The task list is generated here (deterministic apart from its dates), loaded once
with `task import` into a Taskwarrior data folder cached under tests/bench/.cache/, and copied into each
benchmark's scratch folder before it is timed.

Dates. crm's benchmark fixes its "today" with CRM_TODAY; Taskwarrior has no such setting (and faking the
clock with faketime would also slow every call it makes). So the tasks' dates are relative to the real
clock instead: the share that is due "before eow" gets due dates between a month ago and the end of the
current week (a quarter of them already overdue when generated), the others are due after this week or
not at all. Taskwarrior's `eow` is Sunday 23:59:59 local time, so every task due before it at build time
stays due before it all week, and the count `task due.before:eow` finds is the same whichever day the
benchmark runs. The cache is keyed by that end of week, so a new week gets a new task list (building one
takes about a second).

Isolation, and what is left at Taskwarrior's defaults. Each run uses its own TASKRC and TASKDATA (a copy
of the cached data folder in the scratch folder), so neither the user's ~/.taskrc nor ~/.task is read or
touched. The taskrc sets only `confirmation=no` (consulted by commands that change many tasks, such as
`import`, never by `export`); everything else is what a Taskwarrior user runs by default:
  * gc=1 (the default). `export` is a read-only command that asks for a garbage collection; with every
    task pending and none waiting, completed or deleted, the collection reads the data files and moves
    nothing, so nothing is written. The benchmark checks this: it hashes the data folder before and
    after the timed runs and reports any change.
  * hooks=1 (the default). The hooks folder (TASKDATA/hooks) does not exist, so no hook runs: the same
    as a user who has installed none.
  * recurrence, urgency, verbosity, colour: defaults (export prints JSON; no recurring tasks).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.bench.generate import CACHE_DIR, FIRST_NAMES, LAST_NAMES

TASK_GENERATOR_VERSION = 1
TASKS = 10_000
DUE_SHARE = 0.04  # tasks due before the end of this week (overdue ones included), as `crm due` lists ~4%
OVERDUE_SHARE = 0.25  # of those, already overdue when generated
LATER_SHARE = 0.36  # tasks due after this week (the rest have no due date)
RC = "confirmation=no\n"

PROJECTS = (
    ("networking.spotify", 30), ("networking.alumni", 15), ("school.cs", 15), ("school.pm-club", 6),
    ("jobs.applications", 10), ("home", 8), ("health", 4), ("reading", 5), (None, 7),
)  # fmt: skip
TAGS = ("email", "call", "read", "errand", "next", "waiting-on", "quick", "laptop", "phone", "someday")
PERSONAL_VERBS = ("Email", "Call", "Thank", "Follow up with")  # these name a person
VERBS = ("Email", "Call", "Send", "Read", "Prepare", "Review", "Draft", "Book", "Follow up with", "Thank")
OBJECTS = (
    "notes from the coffee chat", "the PM case study", "resume v{n}", "the 6.031 problem set", "the intro request",
    "questions for the Spotify chat", "flight for winter break", "the recommendation-systems paper",
    "the club meeting agenda", "a thank-you note", "the playlist-latency write-up", "the internship portal",
)  # fmt: skip
ANNOTATIONS = ("asked for a 15-minute slot", "link in the alumni directory", "waiting for their reply", "see email")


@dataclass(frozen=True)
class TaskData:
    """A built Taskwarrior data folder: what it holds and when its week ends."""

    folder: Path  # holds data/ (TASKDATA) and taskrc
    tasks: int
    due_before_eow: int  # what `task due.before:eow count` said after the import
    eow: str  # Taskwarrior's end of week when it was built, e.g. "2026-11-29T23:59:59"
    version: str

    @property
    def data(self) -> Path:
        return self.folder / "data"


def executable() -> str | None:
    return shutil.which("task")


def _run(argv: list[str], env: dict[str, str], *, stdin: str | None = None) -> str:
    proc = subprocess.run(argv, env=env, input=stdin, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"exit {proc.returncode} from {' '.join(argv)}: {proc.stderr.strip()[-400:]}")
    return proc.stdout


def environment(base: dict[str, str], folder: Path) -> dict[str, str]:
    """`base` with Taskwarrior pointed at the taskrc and data folder in `folder` (and nothing of the user's)."""
    return {**base, "TASKRC": str(folder / "taskrc"), "TASKDATA": str(folder / "data")}


def version(task: str) -> str:
    return _run([task, "--version"], dict(os.environ)).strip()


def end_of_week(task: str, env: dict[str, str]) -> dt.datetime:
    """Taskwarrior's own `eow` (local time, naive), so the generated dates agree with its filter."""
    text = _run([task, "calc", "eow"], env).strip().splitlines()[-1].strip()
    return dt.datetime.fromisoformat(text)


def _stamp(local: dt.datetime) -> str:
    """A naive local time as Taskwarrior's JSON date (UTC, e.g. 20261129T225959Z)."""
    return local.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def generate_tasks(*, tasks: int, seed: int, now: dt.datetime, eow: dt.datetime) -> tuple[list[dict], int]:
    """(tasks as Taskwarrior import JSON, how many are due before `eow`). `now` and `eow` are naive local times."""
    rng = random.Random(seed)
    due_count = round(tasks * DUE_SHARE)
    overdue = round(due_count * OVERDUE_SHARE)
    later = round(tasks * LATER_SHARE)
    kinds = ["overdue"] * overdue + ["this week"] * (due_count - overdue) + ["later"] * later
    kinds += ["none"] * (tasks - len(kinds))
    rng.shuffle(kinds)
    this_week_seconds = max(0, int((eow - now).total_seconds()) - 60)
    out = []
    for kind in kinds:
        entry = now - dt.timedelta(seconds=rng.randrange(1, 365 * 86400))
        modified = min(now, entry + dt.timedelta(seconds=rng.randrange(0, 60 * 86400)))
        person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        verb = rng.choice(VERBS)
        what = rng.choice(OBJECTS).format(n=rng.randrange(2, 9))
        description = f"{verb} {person}: {what}" if verb in PERSONAL_VERBS else f"{verb} {what}"
        task: dict = {
            "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "status": "pending",
            "description": description,
            "entry": _stamp(entry),
            "modified": _stamp(modified),
        }
        project = rng.choices([p for p, _ in PROJECTS], weights=[w for _, w in PROJECTS])[0]
        if project:
            task["project"] = project
        tags = rng.sample(TAGS, rng.choice((0, 1, 1, 1, 2)))
        if tags:
            task["tags"] = tags
        if rng.random() < 0.3:
            task["priority"] = rng.choice(("H", "M", "M", "L"))
        if kind == "overdue":
            due = now - dt.timedelta(seconds=rng.randrange(3600, 30 * 86400))
        elif kind == "this week":
            due = now + dt.timedelta(seconds=rng.randrange(0, this_week_seconds + 1))
        elif kind == "later":
            due = eow + dt.timedelta(seconds=rng.randrange(3600, 120 * 86400))
        else:
            due = None
        if due is not None:
            task["due"] = _stamp(due)
        if rng.random() < 0.1:
            task["annotations"] = [
                {"entry": _stamp(min(now, entry + dt.timedelta(days=1))), "description": rng.choice(ANNOTATIONS)}
            ]
        out.append(task)
    return out, due_count


def cached_taskdata(
    *, tasks: int = TASKS, seed: int = 0, log: Callable[[str], None] | None = None
) -> tuple[TaskData, float | None]:
    """The cached data folder for this week, building it first if needed: (data, seconds spent or None)."""
    task = executable()
    if task is None:
        raise RuntimeError("Taskwarrior (`task`) is not installed")
    task_version = version(task)
    with tempfile.TemporaryDirectory() as probe:
        eow = end_of_week(task, environment(dict(os.environ), _write_rc(Path(probe))))
    name = f"task-v{task_version}-g{TASK_GENERATOR_VERSION}-n{tasks}-s{seed}-eow{eow:%Y%m%d}"
    target = CACHE_DIR / name
    if (target / "meta.json").exists():
        meta = json.loads((target / "meta.json").read_text())
        return TaskData(target, tasks, meta["due_before_eow"], meta["eow"], task_version), None
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    for stale in CACHE_DIR.glob(f"task-*-n{tasks}-s{seed}-*"):  # last week's list, or an older generator's
        shutil.rmtree(stale, ignore_errors=True)
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(dir=CACHE_DIR, prefix="building-task-"))
    try:
        _write_rc(scratch)
        env = environment(dict(os.environ), scratch)
        items, expected = generate_tasks(tasks=tasks, seed=seed, now=dt.datetime.now(), eow=eow)
        source = scratch / "import.json"
        source.write_text(json.dumps(items))
        _run([task, "import", str(source)], env)
        source.unlink()
        pending = int(_run([task, "status:pending", "count"], env).strip())
        due = int(_run([task, "due.before:eow", "count"], env).strip())
        if pending != tasks or due != expected:
            raise RuntimeError(f"imported {pending} pending tasks, {due} due before eow (wanted {tasks}, {expected})")
        meta = {"tasks": tasks, "due_before_eow": due, "eow": eow.isoformat(), "version": task_version}
        (scratch / "meta.json").write_text(json.dumps(meta))
        os.replace(scratch, target)  # atomic: a crashed run never leaves a half-built cache entry
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    took = time.perf_counter() - started
    if log:
        log(f"  imported {tasks:,} tasks into Taskwarrior {task_version} in {took:.2f}s ({due} due before eow)")
    return TaskData(target, tasks, due, eow.isoformat(), task_version), took


def _write_rc(folder: Path) -> Path:
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "taskrc").write_text(RC)
    return folder


def copy_taskdata(source: TaskData, folder: Path) -> Path:
    """A private copy of the data folder and taskrc in `folder` (returned; pass it to `environment`)."""
    destination = folder / "taskwarrior"
    shutil.rmtree(destination, ignore_errors=True)
    shutil.copytree(source.data, destination / "data")
    _write_rc(destination)
    return destination


def digest(folder: Path) -> str:
    """A hash of every file under folder/data, to tell whether a command wrote anything."""
    h = hashlib.sha256()
    for path in sorted((folder / "data").rglob("*")):
        if path.is_file():
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


if __name__ == "__main__":
    data, took = cached_taskdata(log=print)
    print(data.folder, "(cached)" if took is None else f"(built in {took:.2f}s)", f"{data.due_before_eow} due")
