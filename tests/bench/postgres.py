"""PostgreSQL timings (issue 15, point 6): `crm due --json` and the app's first paint on a local PostgreSQL server,
each against the same on SQLite, in the same run.

The server is a throwaway cluster started here (tests/postgres.py's Cluster: initdb into a temp dir, a Unix socket
there, no TCP), stopped at the end. The 10k-contact bench database (tests/bench/generate.py) is copied in with
`crm db copy` the first time (about 10 s), then dumped with pg_dump beside the cached SQLite file, so later runs
restore it with pg_restore (about 1.5 s); then ANALYZE, as a server's autovacuum would long since have done.

Both figures time whole processes in one loop, alternating the engines round by round, after one untimed warm-up
each: `crm due --json` as tests/bench/__main__.py runs crm (a pipe, isolated XDG folders, CRM_TODAY), and the first
paint as tests/bench/tui.py measures it (a pty, until This week's title and first heading are on screen), the app
opened the way `crm` opens it: `Store.from_option` on $CRM_DB, which is the SQLite file or the server's URL. The
notes also give what `import psycopg` alone costs such a process (IMPORT_PROBE): most of PostgreSQL's extra time.

For the bench runner: `postgres_rows(runs, log)` (rows as dicts of the runner's Row fields; a "not available" row
and a note where PostgreSQL's programs are missing). By hand: `python -m tests.bench.postgres [--runs N]`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from tests.bench.generate import CACHE_DIR, DEFAULT_TODAY, cached_database, copy_database
from tests.bench.harness import isolated_env, timed

CONTACTS = 10_000
DUE_VS_SQLITE = 1.5
FIRST_PAINT_VS_SQLITE = 1.3
CRM = str(Path(sys.executable).parent / "crm")
REPO = Path(__file__).resolve().parents[2]
DATABASE = "crm_bench"

# The app as `crm` opens it at a terminal, on whatever $CRM_DB names (the same program for both engines).
APP = """
from crm.store.store import Store
from crm.tui import run_tui

run_tui(Store.from_option(None))
"""

# What `import psycopg` alone costs a `crm due` process (after the CLI's own modules, which both engines load): the
# part of PostgreSQL's extra time that is the driver's start-up, not crm's queries.
IMPORT_PROBE = """
import time
import crm.cli, crm.store.store, crm.cli.followups, crm.followups.reads
started = time.perf_counter()
import psycopg
print((time.perf_counter() - started) * 1000, psycopg.__version__, psycopg.pq.__impl__)
"""

Log = Callable[[str], None]


class Unavailable(RuntimeError):
    """PostgreSQL's server programs are not on this machine: the rows say "not available", the note how to fix it."""


def _dump_path(source: Path, bindir: Path) -> Path:
    return CACHE_DIR / f"{source.stem}.pg{bindir.parent.name}.dump"


def load_database(cluster, source: Path, copy: Path, env: dict[str, str], log: Log) -> tuple[str, str]:
    """A database on `cluster` holding what the cached SQLite file `source` holds (copied from `copy`, a copy of it,
    by crm run in `env`); (its URL, how it got there)."""
    url = cluster.url(DATABASE)
    host = str(cluster.root)
    cluster.admin(f'CREATE DATABASE "{DATABASE}" TEMPLATE template0')
    dump = _dump_path(source, cluster.bindir)
    if dump.exists():
        restore = [str(cluster.bindir / "pg_restore"), "-h", host, "-U", "postgres", "-d", DATABASE, "--no-owner"]
        proc = subprocess.run([*restore, str(dump)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"pg_restore {dump.name} failed (delete it to copy afresh): {proc.stderr[-400:]}")
        how = f"restored from the cached pg_dump {dump.name}"
    else:
        log(f"copying {source.name} into PostgreSQL with `crm db copy` (cached as a pg_dump for later runs) ...")
        proc = subprocess.run([CRM, "db", "copy", str(copy), url], capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            raise RuntimeError(f"crm db copy failed: {proc.stderr.strip()[-400:]}")
        for stale in CACHE_DIR.glob(f"crm-*-c{source.stem.split('-c', 1)[-1]}.pg*.dump"):
            stale.unlink(missing_ok=True)  # the same network dumped for an older schema or rules
        partial = dump.with_suffix(".partial")
        dump_argv = [str(cluster.bindir / "pg_dump"), "-h", host, "-U", "postgres", "-Fc", "-f", str(partial)]
        subprocess.run([*dump_argv, DATABASE], check=True, capture_output=True)
        partial.replace(dump)
        how = "copied with `crm db copy`"
    import psycopg

    with psycopg.connect(host=host, user="postgres", dbname=DATABASE, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return url, how


def _import_probe(env: dict[str, str], cwd: Path) -> str:
    proc = subprocess.run([sys.executable, "-c", IMPORT_PROBE], env=env, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"the import probe failed: {proc.stderr.strip()[-300:]}")
    return proc.stdout.strip()


def _alternate(commands: dict[str, Callable[[], float]], runs: int) -> dict[str, list[float]]:
    """One untimed warm-up each, then `runs` rounds of every command, the order reversed every other round."""
    for run in commands.values():
        run()
    samples: dict[str, list[float]] = {key: [] for key in commands}
    for n in range(runs):
        for key in list(commands) if n % 2 == 0 else list(reversed(commands)):
            samples[key].append(commands[key]() * 1000)
    return samples


def measure_postgres(*, runs: int = 7, contacts: int = CONTACTS, log: Log | None = None, today=DEFAULT_TODAY) -> dict:
    """Every figure (medians and spreads in ms); Unavailable when this machine has no PostgreSQL server programs."""
    from tests.bench import tui
    from tests.postgres import Cluster, PostgresMissing

    log = log or (lambda _message: None)
    try:
        cluster = Cluster()
    except PostgresMissing as missing:
        raise Unavailable(str(missing)) from None
    source, built = cached_database(contacts=contacts, today=today, log=log)
    if built is not None:
        log(f"built the {contacts:,}-contact database in {built:.1f}s")
    figures: dict = {"contacts": contacts, "runs": runs, "server": cluster.bindir.parent.name}
    try:
        cluster.start()
        with tempfile.TemporaryDirectory(prefix="crm-bench-pg-") as scratch_name:
            scratch = Path(scratch_name)
            sqlite_db = copy_database(source, scratch)
            envs = {"sqlite": isolated_env(scratch, sqlite_db, today)}
            url, figures["loaded"] = load_database(cluster, source, sqlite_db, envs["sqlite"], log)
            envs["postgresql"] = {**envs["sqlite"], "CRM_DB": url}
            cwd = scratch / "cwd"
            printed = {engine: timed([CRM, "due", "--json"], env, cwd)[1] for engine, env in envs.items()}
            figures["same_due"] = printed["sqlite"] == printed["postgresql"]
            figures["due_items"] = printed["sqlite"].count('"contact_id"')
            log("timing crm due --json on PostgreSQL and on SQLite ...")
            due = _alternate({e: (lambda env=env: timed([CRM, "due", "--json"], env, cwd)[0]) for e, env in envs.items()},
                             runs)  # fmt: skip
            imports = [_import_probe(envs["postgresql"], cwd) for _ in range(runs)]
            figures["import_psycopg_ms"] = statistics.median(float(line.split()[0]) for line in imports)
            figures["psycopg"] = " ".join(imports[0].split()[1:])
            log("timing the app's first paint on PostgreSQL and on SQLite ...")
            app = [sys.executable, "-c", APP]
            paint = _alternate(
                {e: (lambda env=tui.for_pty(env, scratch): tui.time_to_text(app, env, tui.OURS_TEXT)[0])
                 for e, env in envs.items()},
                runs,
            )  # fmt: skip
    finally:
        cluster.stop()
    for name, samples in (("due", due), ("paint", paint)):
        for engine, values in samples.items():
            figures[f"{name}_{engine}_ms"] = statistics.median(values)
            figures[f"{name}_{engine}_spread_ms"] = (min(values), max(values))
    return figures


def _spread(figures: dict, name: str) -> str:
    (p_lo, p_hi), (s_lo, s_hi) = figures[f"{name}_postgresql_spread_ms"], figures[f"{name}_sqlite_spread_ms"]
    return f"{p_lo:.0f}–{p_hi:.0f} / {s_lo:.0f}–{s_hi:.0f}"


NAMES = (
    "`crm due --json` (10k contacts) on PostgreSQL vs on SQLite",
    "tui first paint, This week (10k contacts), on PostgreSQL vs on SQLite",
)


def rows_for(figures: dict) -> list[dict]:
    """The runner's rows (dicts of its Row fields) for measure_postgres's figures."""
    size = f"{figures['contacts'] // 1000}k contacts"
    rows = []
    for key, name, limit in (("due", NAMES[0], DUE_VS_SQLITE), ("paint", NAMES[1], FIRST_PAINT_VS_SQLITE)):
        ours, base = figures[f"{key}_postgresql_ms"], figures[f"{key}_sqlite_ms"]
        ratio = ours / base
        if key == "due" and not figures["same_due"]:  # not the same work: no verdict (the note says so)
            rows.append(
                {
                    "figure": name,
                    "ours": f"{ours:.0f} ms",
                    "baseline": f"{base:.0f} ms",
                    "ratio": "-",
                    "target": "-",
                    "verdict": "error",
                    "spread": _spread(figures, key),
                    "failed": True,
                }
            )
            continue
        rows.append(
            {"figure": name.replace("10k contacts", size), "ours": f"{ours:.0f} ms", "baseline": f"{base:.0f} ms",
             "ratio": f"{ratio:.2f}x", "target": f"<= {limit:g}x on SQLite",
             "verdict": "met" if ratio <= limit else "missed", "spread": _spread(figures, key),
             "failed": ratio > limit}
        )  # fmt: skip
    return rows


def postgres_rows(runs: int, log: Log | None = None, notes: list[str] | None = None) -> list[dict]:
    """Rows for the runner; where PostgreSQL is missing, "not available" rows and the reason in `notes`."""
    notes = notes if notes is not None else []
    try:
        figures = measure_postgres(runs=runs, log=log)
    except Unavailable as missing:
        notes.append(f"PostgreSQL figures skipped: {missing}")
        return [
            {"figure": name, "ours": "-", "baseline": "-", "ratio": "-", "target": "-", "verdict": "not available",
             "spread": "-"}
            for name in NAMES
        ]  # fmt: skip
    notes.append(
        f"PostgreSQL {figures['server']} (a throwaway local cluster over its Unix socket; the 10k-contact database "
        f"{figures['loaded']}); `crm due --json` listed {figures['due_items']:,} follow-ups on both engines"
        + ("" if figures["same_due"] else ", BUT THEIR OUTPUTS DIFFERED")
        + f". Of PostgreSQL's extra time, `import psycopg` (psycopg {figures['psycopg']}) alone took "
        f"{figures['import_psycopg_ms']:.0f} ms (median, a fresh interpreter after crm's CLI modules)."
    )
    return rows_for(figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.postgres", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    notes: list[str] = []
    for row in postgres_rows(args.runs, log=lambda m: print(m, file=sys.stderr), notes=notes):
        print(f"{row['figure']}: {row['ours']} vs {row['baseline']} = {row['ratio']} ({row['target']}: "
              f"{row['verdict']}; spread {row['spread']})")  # fmt: skip
    for note in notes:
        print(f"note: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
