"""User settings from <config dir>/config.toml: follow-up defaults that the spec makes configurable."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

from crm.errors import CrmError
from crm.followups.defaults import DEFAULT_CADENCE, NUDGE_BUSINESS_DAYS

WEEK_STARTS = ("monday", "sunday")
# [club]: the alumni-fatigue guard (crm.club.fatigue) flags an alum more than `fatigue_members` other members
# wrote to in the last `fatigue_days` days.
CLUB_SETTINGS = {"fatigue_members": (2, 0, 100), "fatigue_days": (14, 1, 365)}  # default, least, most


@dataclass(frozen=True)
class Settings:
    default_cadence: str = DEFAULT_CADENCE
    nudge_business_days: int = NUDGE_BUSINESS_DAYS
    week_start: str = "monday"
    # The [club] table as written, checked only when the club's guard reads it (`fatigue_members`, `fatigue_days`):
    # a typo there must not stop the commands that never read it, nor anyone's crm on SQLite.
    club: object = field(default_factory=dict, compare=False, repr=False)
    source: Path | None = field(default=None, compare=False, repr=False)  # the config file, for the warnings

    @property
    def fatigue_members(self) -> int:
        return self._club_checked[0]["fatigue_members"]

    @property
    def fatigue_days(self) -> int:
        return self._club_checked[0]["fatigue_days"]

    @property
    def club_warnings(self) -> list[str]:
        """Why a [club] setting is not used, naming the file (the app shows these: its stderr is the screen's)."""
        return self._club_checked[1]

    @cached_property
    def _club_checked(self) -> tuple[dict[str, int], list[str]]:
        """The [club] settings and what was wrong with them; each bad one is warned about on stderr once (a file's
        settings are loaded once per change of it) and replaced by its default, as a bad default_cadence is."""
        values, problems = club_settings(self.club)
        where = f"{self.source}: " if self.source is not None else ""
        warnings = [where + problem for problem in problems]
        if warnings:
            sys.stderr.write("".join(f"crm: warning: {warning}\n" for warning in warnings))
            sys.stderr.flush()
        return values, warnings

    def follow_up(self) -> dict:
        """The [follow_up] settings alone: what an export records as the settings its schedule was computed with."""
        return {"default_cadence": self.default_cadence, "nudge_business_days": self.nudge_business_days,
                "week_start": self.week_start}  # fmt: skip

    def fingerprint(self) -> str:
        """What stored follow-up dates depend on; a change means recomputing them."""
        return f"cadence={self.default_cadence};nudge={self.nudge_business_days}"


def config_path() -> Path:
    from crm.store.paths import config_dir

    return Path(os.environ.get("CRM_CONFIG") or config_dir() / "config.toml")


@lru_cache(maxsize=8)
def _load(path: Path, mtime: float) -> Settings:
    import tomllib  # only when there is a config file to read

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CrmError(f"{path} cannot be read ({exc}): fix it or delete it to use the defaults") from None
    section = data.get("follow_up", {})
    if not isinstance(section, dict):
        raise CrmError(f"{path}: follow_up must be a [follow_up] table of settings, not a {type(section).__name__}")
    unknown = set(section) - {"default_cadence", "nudge_business_days", "week_start"}
    if unknown:
        raise CrmError(f"{path}: unknown [follow_up] setting(s) {', '.join(sorted(unknown))}; see the README")
    settings = Settings(**section, club=data.get("club", {}), source=path)
    problem = _cadence_problem(settings.default_cadence)
    if problem is not None:
        # A bad default must not lock the user out of crm (and of the commands that would fix things): say so
        # once per change of the file, and keep in touch by the built-in default meanwhile.
        sys.stderr.write(
            f"crm: warning: {path}: default_cadence {settings.default_cadence!r} {problem}; "
            f"using {DEFAULT_CADENCE!r} until it is fixed\n"
        )
        sys.stderr.flush()
        settings = replace(settings, default_cadence=DEFAULT_CADENCE)
    days = settings.nudge_business_days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 60:
        raise CrmError(f"{path}: nudge_business_days must be a whole number from 1 to 60")
    if settings.week_start not in WEEK_STARTS:
        raise CrmError(f"{path}: week_start must be 'monday' or 'sunday'")
    return settings


def club_settings(section: object) -> tuple[dict[str, int], list[str]]:
    """The [club] settings (defaults for those not given) and, for each bad one, why it is not used: a whole number
    within its bounds, in a [club] table, with a name crm knows."""
    values = {name: default for name, (default, _, _) in CLUB_SETTINGS.items()}
    if not isinstance(section, dict):
        kind = type(section).__name__
        return values, [f"club must be a [club] table of settings, not a {kind}; using the defaults until it is fixed"]
    problems = []
    for name, value in section.items():
        if name not in CLUB_SETTINGS:
            problems.append(f"unknown [club] setting {name!r} ignored (known: {', '.join(CLUB_SETTINGS)})")
            continue
        default, least, most = CLUB_SETTINGS[name]
        if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
            problems.append(
                f"[club] {name} {_shown(value)} must be a whole number from {least} to {most}; "
                f"using {default} until it is fixed"
            )
            continue
        values[name] = value
    return values, problems


def _shown(value: object) -> str:
    """A setting's bad value in a warning: TOML's spelling, cut short."""
    text = repr(value) if not isinstance(value, bool) else str(value).lower()
    return text if len(text) <= 40 else text[:39] + "…"


def _cadence_problem(value) -> str | None:
    """Why `value` cannot be the default cadence, or None."""
    if not isinstance(value, str):
        return "is not a phrase such as 'every 4 weeks'"
    from crm.followups.cadence import parse_cadence

    try:
        parse_cadence(value)
    except CrmError as error:
        return f"cannot be used ({error})"
    return None


def load_settings() -> Settings:
    """The user's settings, or the defaults when there is no config file."""
    path = config_path()
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return Settings()
    return _load(path, mtime)
