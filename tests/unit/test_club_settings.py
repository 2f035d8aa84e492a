"""The [club] settings (crm.store.settings): read, and checked, only where the club's fatigue guard reads them; a bad
one is warned about once on stderr and its default used, as a bad default_cadence is, so it never stops crm."""

from __future__ import annotations

import pytest

from crm.store.settings import CLUB_SETTINGS, Settings, club_settings, load_settings

DEFAULTS = {"fatigue_members": 2, "fatigue_days": 14}


@pytest.mark.parametrize(
    "section, values, problems",
    [
        ({}, DEFAULTS, []),
        ({"fatigue_members": 0, "fatigue_days": 365}, {"fatigue_members": 0, "fatigue_days": 365}, []),
        ({"fatigue_members": 100, "fatigue_days": 1}, {"fatigue_members": 100, "fatigue_days": 1}, []),
        ({"fatigue_members": "abc"}, DEFAULTS,
         ["[club] fatigue_members 'abc' must be a whole number from 0 to 100; using 2 until it is fixed"]),
        ({"fatigue_members": 101, "fatigue_days": 7}, {"fatigue_members": 2, "fatigue_days": 7},
         ["[club] fatigue_members 101 must be a whole number from 0 to 100; using 2 until it is fixed"]),
        ({"fatigue_members": True}, DEFAULTS,
         ["[club] fatigue_members true must be a whole number from 0 to 100; using 2 until it is fixed"]),
        ({"fatigue_days": 2.5}, DEFAULTS,
         ["[club] fatigue_days 2.5 must be a whole number from 1 to 365; using 14 until it is fixed"]),
        ({"fatigue_days": [14]}, DEFAULTS,
         ["[club] fatigue_days [14] must be a whole number from 1 to 365; using 14 until it is fixed"]),
        ({"fatigue_days": "x" * 80}, DEFAULTS,
         [f"[club] fatigue_days {('x' * 80)!r:.39}… must be a whole number from 1 to 365; using 14 until it is fixed"]),
        ({"fatigue_weeks": 2, "fatigue_members": 3}, {"fatigue_members": 3, "fatigue_days": 14},
         ["unknown [club] setting 'fatigue_weeks' ignored (known: fatigue_members, fatigue_days)"]),
        (3, DEFAULTS, ["club must be a [club] table of settings, not a int; using the defaults until it is fixed"]),
        ("on", DEFAULTS, ["club must be a [club] table of settings, not a str; using the defaults until it is fixed"]),
    ],
)  # fmt: skip
def test_club_settings_take_each_good_value_and_say_why_each_bad_one_is_not_used(section, values, problems):
    assert club_settings(section) == (values, problems)


def test_the_defaults_are_the_readmes():
    assert {name: default for name, (default, _, _) in CLUB_SETTINGS.items()} == DEFAULTS
    settings = Settings()
    assert (settings.fatigue_members, settings.fatigue_days, settings.club_warnings) == (2, 14, [])


def _config(tmp_path, monkeypatch, text: str):
    config = tmp_path / "config.toml"
    config.write_text(text)
    monkeypatch.setenv("CRM_CONFIG", str(config))
    return config


def test_a_bad_club_value_is_not_even_looked_at_until_the_guard_reads_it(tmp_path, monkeypatch, capsys):
    _config(tmp_path, monkeypatch, '[follow_up]\nweek_start = "sunday"\n[club]\nfatigue_members = "abc"\n')
    settings = load_settings()  # what every command loads: no error, no warning
    assert settings.week_start == "sunday" and settings.fingerprint() == Settings().fingerprint()
    assert capsys.readouterr().err == ""


def test_reading_a_bad_club_value_warns_once_and_uses_its_default(tmp_path, monkeypatch, capsys):
    config = _config(tmp_path, monkeypatch, "[club]\nfatigue_members = -1\nfatigue_days = 30\n")
    settings = load_settings()
    assert (settings.fatigue_members, settings.fatigue_days) == (2, 30)
    assert capsys.readouterr().err == (
        f"crm: warning: {config}: [club] fatigue_members -1 must be a whole number from 0 to 100; using 2 until it is"
        " fixed\n"
    )
    assert (load_settings().fatigue_members, load_settings().fatigue_days) == (2, 30)  # the same file: said once
    assert capsys.readouterr().err == ""
    assert load_settings().club_warnings == [
        f"{config}: [club] fatigue_members -1 must be a whole number from 0 to 100; using 2 until it is fixed"
    ]


def test_the_follow_up_settings_are_as_strict_as_before(tmp_path, monkeypatch):
    from crm.errors import CrmError

    _config(tmp_path, monkeypatch, "[follow_up]\nnudge_business_days = 0\n[club]\nfatigue_days = 7\n")
    with pytest.raises(CrmError, match="nudge_business_days must be a whole number from 1 to 60"):
        load_settings()
