"""TUI timings on a 10k-contact database: first paint vs a minimal Textual app, Contacts, one filter keystroke, RSS.

Each measurement runs in a fresh subprocess (`python -m tests.bench.tui PROBE DB`) that prints one JSON
line, so imports, memory and the event loop start cold, as for a person opening crm.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

TODAY = dt.date(2026, 11, 25)
SIZE = (120, 40)

# A one-Static Textual app plus `import sqlmodel`: the least any Textual + SQLModel app pays to paint.
FLOOR_APP = """
import sys, time
import sqlmodel
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("hello")

    def on_mount(self):
        self.call_after_refresh(self.exit)

Minimal().run(headless=True, size=(120, 40))
"""


def _first_paint(db: str) -> dict:
    """Open crm on the database and exit right after the This week screen has painted."""
    from crm.tui.app import create_app

    app = create_app(db_path=Path(db), today=TODAY)

    async def autopilot(pilot) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        pilot.app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=autopilot)
    return {}


async def _time_keys(pilot, keys: str) -> list[float]:
    """Milliseconds from each key press until the app has handled it and repainted."""
    samples = []
    for key in keys:
        started = time.perf_counter()
        await pilot.press(key)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _interactions(db: str) -> dict:
    """In one process: time to open Contacts with its table filled, then one filter keystroke to repaint."""
    from textual.widgets import DataTable

    from crm.tui.app import create_app

    app = create_app(db_path=Path(db), today=TODAY)
    timings: dict[str, float] = {}

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            started = time.perf_counter()
            await pilot.press("c")
            await app.workers.wait_for_complete()
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            timings["open_contacts_ms"] = (time.perf_counter() - started) * 1000
            timings["rows"] = table.row_count
            await pilot.press("slash")
            await pilot.pause()
            timings["filter_keystroke_ms"] = statistics.median(await _time_keys(pilot, "chen"))
            timings["filtered_rows"] = table.row_count

    asyncio.run(run())
    return timings


def _bare_keystroke(db: str) -> dict:
    """The same key press on a one-Input app in the same harness: what Pilot itself costs per key."""
    from textual.app import App
    from textual.widgets import Input

    class Bare(App):
        def compose(self):
            yield Input()

    app = Bare()
    samples: list[float] = []

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            samples.extend(await _time_keys(pilot, "chenchen"))

    asyncio.run(run())
    return {"bare_keystroke_ms": statistics.median(samples)}


def probe(name: str, db: str) -> None:
    probes = {"first-paint": _first_paint, "interactions": _interactions, "bare-keystroke": _bare_keystroke}
    data = probes[name](db)
    data["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(data))


def _wall(argv: list[str], env: dict, cwd: Path) -> tuple[float, dict]:
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip()[-400:])
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    return elapsed, (json.loads(lines[-1]) if lines else {})


def tui_rows(db: Path, env: dict, cwd: Path, runs: int) -> list[list[str]]:
    """The TUI benchmark rows for the runner's table."""
    ours_argv = [sys.executable, "-m", "tests.bench.tui", "first-paint", str(db)]
    floor_argv = [sys.executable, "-c", FLOOR_APP]
    repo = Path(__file__).resolve().parents[2]
    env = {**env, "PYTHONPATH": str(repo)}
    _wall(ours_argv, env, repo)  # warm-up (OS caches)
    _wall(floor_argv, env, repo)
    ours, floor, rss = [], [], []
    for _ in range(runs):
        took, data = _wall(ours_argv, env, repo)
        ours.append(took)
        rss.append(data.get("max_rss_mb", 0.0))
        floor.append(_wall(floor_argv, env, repo)[0])
    _, inter = _wall([sys.executable, "-m", "tests.bench.tui", "interactions", str(db)], env, repo)
    _, bare = _wall([sys.executable, "-m", "tests.bench.tui", "bare-keystroke", str(db)], env, repo)
    ours_ms, floor_ms = statistics.median(ours) * 1000, statistics.median(floor) * 1000
    ratio = ours_ms / floor_ms
    peak = max(rss + [inter.get("max_rss_mb", 0.0)])
    raw = inter.get("filter_keystroke_ms", float("nan"))
    harness = bare.get("bare_keystroke_ms", 0.0)
    keystroke = raw - harness  # Pilot's own per-key waits are not latency a person sees
    rows = [
        ["tui first paint, This week (10k contacts)", f"{ours_ms:.1f}", f"{floor_ms:.1f}", f"{ratio:.2f}x",
         "<= 1.3x vs one-Static app + sqlmodel", "PASS" if ratio <= 1.3 else "FAIL"],
        [f"tui open Contacts ({inter.get('rows', '?')} rows)", f"{inter.get('open_contacts_ms', 0):.1f}", "-", "-",
         "(reported)", "INFO"],
        [f"tui filter keystroke, in Pilot (same press on a bare Input: {harness:.0f} ms)", f"{raw:.1f}",
         f"{harness:.1f}", f"{raw / harness:.2f}x" if harness else "-", "(reported)", "INFO"],
        [f"tui filter keystroke to repaint, beyond Pilot ({inter.get('filtered_rows', '?')} rows left)",
         f"{keystroke:.1f}", "100", f"{keystroke / 100:.2f}x", "<= 1x of 100 ms",
         "PASS" if keystroke <= 100 else "FAIL"],
        ["tui peak RSS (MB)", f"{peak:.0f}", "200", f"{peak / 200:.2f}x", "<= 1x of 200 MB",
         "PASS" if peak <= 200 else "FAIL"],
    ]  # fmt: skip
    return rows


if __name__ == "__main__":
    probe(sys.argv[1], sys.argv[2])
