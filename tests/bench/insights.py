"""Insights timing (issue 13, point 7): `crm stats --json` at 10k contacts <= 1.0x `crm due --json`, in the same run.

Both commands run as whole processes on one copy of the cached synthetic database (tests/bench/generate.py: 10k
contacts, 100k interactions), with CRM_DB, CRM_TODAY and the XDG folders pointed into a scratch folder, stdin from
/dev/null and stdout to a pipe, exactly as tests/bench/__main__.py runs crm. One untimed warm-up each, then `runs`
rounds, each timing both, the order alternating round by round so neither always meets a warmer machine.

For the bench runner:
  measure_stats(runs=..., contacts=..., log=...)   the figures, as a dict (medians and spreads in ms)
  stats_rows(runs, log=None)                       table rows as dicts of the runner's Row fields
By hand: `python -m tests.bench.insights [--runs N] [--contacts N]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from tests.bench.generate import DEFAULT_TODAY, cached_database, copy_database
from tests.bench.harness import isolated_env, timed

CONTACTS = 10_000
STATS_VS_DUE = 1.0
CRM = str(Path(sys.executable).parent / "crm")
REPO = Path(__file__).resolve().parents[2]
COMMANDS = {"stats": ["stats", "--json"], "due": ["due", "--json"]}


def measure_stats(
    *, runs: int = 7, contacts: int = CONTACTS, log: Callable[[str], None] | None = None, today: dt.date = DEFAULT_TODAY
) -> dict:
    """Time `crm stats --json` and `crm due --json` alternately on one copy of the bench database."""
    import compileall

    log = log or (lambda _message: None)
    compileall.compile_dir(str(REPO / "crm"), quiet=1)  # as the runner does: bytecode, as an install would have
    source, built = cached_database(contacts=contacts, today=today, log=log)
    if built is not None:
        log(f"built the {contacts:,}-contact database in {built:.1f}s")
    samples: dict[str, list[float]] = {key: [] for key in COMMANDS}
    printed: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="crm-bench-insights-") as scratch_name:
        scratch = Path(scratch_name)
        db = copy_database(source, scratch)
        env = isolated_env(scratch, db, today)
        for key, args in COMMANDS.items():  # warm-up: file cache, bytecode; and what each printed
            _, out = timed([CRM, *args], env, scratch / "cwd")
            printed[key] = out
        for run in range(runs):
            order = list(COMMANDS) if run % 2 == 0 else list(reversed(COMMANDS))
            for key in order:
                took, _ = timed([CRM, *COMMANDS[key]], env, scratch / "cwd")
                samples[key].append(took)
    stats = json.loads(printed["stats"])
    if stats["funnel"]["by_kind"]["reply"] and not stats["contacts_replied"]:  # timing a database without the credit
        raise RuntimeError("the bench database has replies but none credited (migration 0009's triggers): rebuild it")
    figures = {f"{key}_ms": statistics.median(values) * 1000 for key, values in samples.items()}
    figures.update({f"{key}_spread_ms": (min(v) * 1000, max(v) * 1000) for key, v in samples.items()})
    figures.update(
        contacts=contacts,
        runs=runs,
        interactions=sum(stats["funnel"]["by_kind"].values()),
        due_items=len(json.loads(printed["due"])),
        ratio=figures["stats_ms"] / figures["due_ms"],
    )
    return figures


def stats_rows(runs: int = 7, log: Callable[[str], None] | None = None, *, contacts: int = CONTACTS) -> list[dict]:
    """One table row (the runner's Row fields): stats vs due, medians of `runs` alternating runs."""
    f = measure_stats(runs=runs, contacts=contacts, log=log)
    ok = f["ratio"] <= STATS_VS_DUE
    (s_lo, s_hi), (d_lo, d_hi) = f["stats_spread_ms"], f["due_spread_ms"]
    return [
        {
            "figure": f"`crm stats --json` vs `crm due --json` ({f['contacts'] // 1000}k contacts, "
            f"{f['interactions'] // 1000}k interactions)",
            "ours": f"{f['stats_ms']:.0f} ms",
            "baseline": f"{f['due_ms']:.0f} ms",
            "ratio": f"{f['ratio']:.2f}x",
            "target": f"<= {STATS_VS_DUE:g}x `crm due --json`",
            "verdict": "met" if ok else "missed",
            "spread": f"{s_lo:.0f}–{s_hi:.0f} / {d_lo:.0f}–{d_hi:.0f}",
            "failed": not ok,
        }
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.insights", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--contacts", type=int, default=CONTACTS)
    args = parser.parse_args(argv)
    figures = measure_stats(runs=args.runs, contacts=args.contacts, log=lambda m: print(m, file=sys.stderr))
    for key in COMMANDS:
        low, high = figures[f"{key}_spread_ms"]
        print(f"{key} --json: median {figures[f'{key}_ms']:.1f} ms, range {low:.1f}-{high:.1f} ms")
    print(f"ratio stats/due: {figures['ratio']:.2f}x (target <= {STATS_VS_DUE:g}x); {figures['interactions']:,}"
          f" interactions, due listed {figures['due_items']:,} follow-ups, {figures['runs']} runs each")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
