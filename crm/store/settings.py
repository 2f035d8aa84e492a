"""User settings from <config dir>/config.toml: follow-up defaults that the spec makes configurable."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from functools import lru_cache
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
    fatigue_members: int = CLUB_SETTINGS["fatigue_members"][0]
    fatigue_days: int = CLUB_SETTINGS["fatigue_days"][0]

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
    settings = Settings(**section, **_club_section(path, data.get("club", {})))
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


def _club_section(path: Path, section) -> dict:
    """The [club] table's settings, each a whole number within its bounds (CrmError naming the bad one)."""
    if not isinstance(section, dict):
        raise CrmError(f"{path}: club must be a [club] table of settings, not a {type(section).__name__}")
    unknown = set(section) - set(CLUB_SETTINGS)
    if unknown:
        raise CrmError(f"{path}: unknown [club] setting(s) {', '.join(sorted(unknown))}; see the README")
    for name, value in section.items():
        _, least, most = CLUB_SETTINGS[name]
        if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
            raise CrmError(f"{path}: [club] {name} must be a whole number from {least} to {most}")
    return section


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
