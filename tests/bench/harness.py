"""What every benchmark shares: an environment that points crm (and its baselines) into a scratch folder,
and one timed run of a command."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from pathlib import Path

# A stray setting would skew every timing (import profiling, dev mode) or read the user's own data.
_DROPPED = ("PYTHONPROFILEIMPORTTIME", "PYTHONDEVMODE", "PYTHONTRACEMALLOC", "TASKRC", "TASKDATA")
FOLDERS = ("data", "config", "cache", "state", "home", "cwd")


def clean_env(base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    for name in [*_DROPPED, *(k for k in env if k.startswith("CRM_"))]:
        env.pop(name, None)
    return env


def isolated_env(
    folder: Path, db: Path | None, today: dt.date, *, base: dict[str, str] | None = None
) -> dict[str, str]:
    """crm's paths and clock pointed into `folder` (made here), so nothing of the developer's is read or timed."""
    for sub in FOLDERS:
        (folder / sub).mkdir(parents=True, exist_ok=True)
    env = clean_env(base)
    env.update({"CRM_TODAY": today.isoformat(), "HOME": str(folder / "home")})
    env.update({f"XDG_{kind.upper()}_HOME": str(folder / kind) for kind in ("data", "config", "cache", "state")})
    if db is not None:
        env["CRM_DB"] = str(db)
    return env


def timed(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    """Seconds one run took, and what it printed; a failing run stops the benchmark with its stderr."""
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"exit {proc.returncode} from {' '.join(argv[:3])}: {proc.stderr.strip()[-400:]}")
    return took, proc.stdout
