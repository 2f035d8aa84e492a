"""LinkedIn import timings (issue 10, point 8): a generated 30,000-row Connections.csv (LinkedIn's cap).

Figures, each the median of whole processes timed round-robin in one run:
  first import   `crm import linkedin FILE` into an empty (migrated) database
                 vs `sqlite-utils insert DB connections FILE --csv` of the same rows: target <= 1.5x
  re-import      the same command again on the database the first import filled: target <= 1x the first import

sqlite-utils is given the rows without LinkedIn's three-line "Notes:" preamble: on the file as exported it takes
"Notes:" for the header and stores one column, which is less work than importing the connections. Both tools run
with stdin from /dev/null and stdout and stderr to pipes (so crm draws no progress bar).

For the bench runner (tests/bench/__main__.py):
  measure_linkedin(runs=..., rows=..., log=...)   the figures, as a dict
  rows_for(figures)                               table rows (figure, ours, baseline, ratio, target, verdict)
By hand: `python -m tests.bench.linkedin [--runs N] [--rows N]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from tests.bench.harness import isolated_env, timed

TODAY = dt.date(2026, 11, 25)
ROWS = 30_000  # LinkedIn exports at most 30,000 connections
FIRST_VS_SQLITE_UTILS = 1.5
REIMPORT_VS_FIRST = 1.0
BIN = Path(sys.executable).parent
CRM = str(BIN / "crm")

PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing. You will '
    "only see email addresses for connections who have allowed their connections to see or download their email "
    "address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
OLD_HEADER = "First Name,Last Name,Email Address,Company,Position,Connected On"

FIRST = ("Maya", "Daniel", "Olivia", "Marcus", "Priya", "Tom", "Jia", "Ivan", "Ana", "Sam", "Tomás", "Søren", "Zoë",
         "Chloé", "Amara", "Kenji", "Fatima", "Luca", "Nia", "Omar", "Hannah", "Diego", "Yuki", "Leila")  # fmt: skip
LAST = ("Chen", "Okafor", "Grant", "Lee", "Patel", "Becker", "Song", "Petrov", "Li", "Rivera", "Kjær", "Villanueva",
        "Müller", "Nakamura", "Haddad", "Rossi", "Mensah", "García", "Novak", "Kim", "O'Brien")  # fmt: skip
COMPANIES = ("Spotify", "SoundCloud", "Cadenza Audio", "Acme Audio, Inc.", "The Engine", "Netflix", "Google", "Stripe",
             "Figma", "Deezer", "Bandcamp", "Shazam", "Tidal", "MIT", "Pandora Media, LLC", "")  # fmt: skip
POSITIONS = ("Product Manager", "Senior Product Manager", "Associate Product Manager", "Data Scientist",
             "Software Engineer", "Product Manager, Discovery", "Research Scientist", "Engineering Manager",
             "Designer", "Venture Fellow", "Head of Product, Growth", "Senior Data Scientist 🎧", "")  # fmt: skip
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _cell(value: str) -> str:
    return f'"{value}"' if "," in value or '"' in value else value


def connections_csv(rows: int = ROWS, *, seed: int = 0, old_format: bool = False) -> str:
    """A Connections.csv as LinkedIn writes it today (preamble, URLs, 'DD Mon YYYY'), or as in 2018-2020.

    Deterministic for a seed. Like a real export: mostly empty emails, about one row in a hundred blank but for
    its date, commas inside quoted fields, trailing spaces, percent-encoded and trailing-slash URLs, no final
    newline.
    """
    rng = random.Random(seed)
    lines = [OLD_HEADER] if old_format else [PREAMBLE + HEADER]
    for n in range(rows):
        when = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(5000))
        if rng.random() < 0.01:
            date = f"{when.month}/{when.day}/{when.year % 100:02d}, 6:14 PM" if old_format else _today_date(when)
            lines.append(("," * 5 if old_format else "," * 6) + _cell(date))
            continue
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if rng.random() < 0.05:
            last += " "  # LinkedIn keeps trailing spaces
        slug = f"{first}-{last.strip()}-{n:x}".lower().replace("'", "")
        url = "https://www.linkedin.com/in/" + quote(slug)  # LinkedIn percent-encodes UTF-8, as the sample shows
        if rng.random() < 0.1:
            url += "/"
        email = f"{slug.replace('-', '.')}@example.com" if rng.random() < 0.05 else ""
        company, position = rng.choice(COMPANIES), rng.choice(POSITIONS)
        if old_format:
            date = f"{when.month}/{when.day}/{when.year % 100:02d}, {rng.randrange(1, 13)}:{rng.randrange(60):02d} PM"
            cells = [first, last, email, company, position, date]
        else:
            cells = [first, last, url, email, company, position, _today_date(when)]
        lines.append(",".join(_cell(c) for c in cells))
    return "\n".join(lines)


def _today_date(day: dt.date) -> str:
    return f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"


def write_connections(path: Path, rows: int = ROWS, *, seed: int = 0, old_format: bool = False) -> Path:
    path.write_text(connections_csv(rows, seed=seed, old_format=old_format), encoding="utf-8")
    return path


# ---------------------------------------------------------------- timing


def sqlite_utils() -> str | None:
    """The sqlite-utils command beside this Python (`make bench` installs it), else on PATH."""
    beside = BIN / "sqlite-utils"
    return str(beside) if beside.exists() else shutil.which("sqlite-utils")


def _environment(folder: Path, db: Path) -> dict[str, str]:
    return isolated_env(folder, db, TODAY)


def _empty_database(folder: Path) -> Path:
    """A migrated crm database with nothing in it (made once, copied for every run)."""
    from crm.store.db import open_engine

    path = folder / "empty.db"
    open_engine(path).dispose()
    return path


def measure_linkedin(*, runs: int = 5, rows: int = ROWS, log: Callable[[str], None] | None = None) -> dict:
    """Time the first import, the re-import and sqlite-utils, round-robin; medians in ms, and what each printed."""
    log = log or (lambda _message: None)
    tool = sqlite_utils()
    if tool is None:
        raise RuntimeError("sqlite-utils is not installed: `.venv/bin/pip install sqlite-utils` (make bench does)")
    samples: dict[str, list[float]] = {"first": [], "again": [], "sqlite_utils": []}
    with tempfile.TemporaryDirectory(prefix="crm-bench-linkedin-") as scratch_name:
        scratch = Path(scratch_name)
        source = write_connections(scratch / "Connections.csv", rows)
        text = source.read_text(encoding="utf-8")
        bare = scratch / "Connections-rows.csv"  # the same rows, header first, for sqlite-utils
        bare.write_text(text[text.index(HEADER) :], encoding="utf-8")
        empty = _empty_database(scratch)
        log(f"linkedin import: {rows:,} rows ({source.stat().st_size / 1e6:.1f} MB), {runs} runs + 1 warm-up")
        printed = {}
        for run in range(runs + 1):  # run 0 warms the file cache and the bytecode up
            folder = scratch / f"run-{run}"
            folder.mkdir()
            db = folder / "crm.db"
            shutil.copyfile(empty, db)
            env = _environment(folder, db)
            steps = [
                ("first", [CRM, "import", "linkedin", str(source)]),
                ("again", [CRM, "import", "linkedin", str(source)]),
                ("sqlite_utils", [tool, "insert", str(folder / "su.db"), "connections", str(bare), "--csv"]),
            ]
            if run % 2:  # alternate who goes first, so neither always meets a warmer machine
                steps = [steps[2], *steps[:2]]
            for key, argv in steps:
                took, out = timed(argv, env, folder)
                if run == 0:
                    printed[key] = out.strip().splitlines()[0] if out.strip() else ""
                else:
                    samples[key].append(took)
            shutil.rmtree(folder)
    figures = {f"{key}_ms": statistics.median(values) * 1000 for key, values in samples.items()}
    figures.update({f"{key}_spread_ms": (min(v) * 1000, max(v) * 1000) for key, v in samples.items()})
    figures.update(rows=rows, runs=runs, printed=printed)
    return figures


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def rows_for(figures: dict) -> list[list[str]]:
    """Table rows (figure, ours, baseline, ratio, target, verdict), like tests/bench/tui.py's."""
    size = f"{figures['rows'] // 1000}k rows"
    first, again, base = figures["first_ms"], figures["again_ms"], figures["sqlite_utils_ms"]
    return [
        [f"`crm import linkedin` ({size}) into an empty database vs `sqlite-utils insert --csv`", f"{first:.0f}",
         f"{base:.0f}", f"{first / base:.2f}x", f"<= {FIRST_VS_SQLITE_UTILS}x sqlite-utils",
         _verdict(first <= FIRST_VS_SQLITE_UTILS * base)],
        [f"`crm import linkedin` re-importing the same file ({size}) vs the first import", f"{again:.0f}",
         f"{first:.0f}", f"{again / first:.2f}x", f"<= {REIMPORT_VS_FIRST:g}x the first import",
         _verdict(again <= REIMPORT_VS_FIRST * first)],
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.linkedin", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args(argv)
    figures = measure_linkedin(runs=args.runs, rows=args.rows, log=lambda m: print(m, file=sys.stderr))
    for row in rows_for(figures):
        print(" | ".join(row))
    for key in ("first", "again", "sqlite_utils"):
        low, high = figures[f"{key}_spread_ms"]
        print(f"{key}: median {figures[f'{key}_ms']:.0f} ms, range {low:.0f}-{high:.0f} ms; printed: "
              f"{figures['printed'].get(key, '')}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
