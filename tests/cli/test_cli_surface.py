"""The CLI's surface: help for every command, a README table generated from it, shell completion."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from crm.cli import COMMANDS, cli
from crm.cli.docs import END, START, command_table, render_readme

README = Path(__file__).resolve().parents[2] / "README.md"


def _all_commands():
    root = click.Context(cli, info_name="crm")
    for name in cli.list_commands(root):
        command = cli.get_command(root, name)
        yield (name,), command
        for sub in getattr(command, "commands", {}):
            yield (name, sub), command.commands[sub]


def test_every_command_has_help_text(cli):
    seen = 0
    for path, command in _all_commands():
        assert command.help, " ".join(path)
        assert cli(*path, "--help").code == 0, path
        seen += 1
    assert seen >= len(COMMANDS)


def test_readme_command_table_is_current():
    text = README.read_text(encoding="utf-8")
    assert START in text and END in text
    assert render_readme(text) == text, "README's command table is stale: run `python -m crm.cli.docs`"


def test_every_leaf_command_is_in_the_table():
    table = command_table()
    for path, command in _all_commands():
        if not isinstance(command, click.Group):
            assert f"`crm {' '.join(path)}" in table


def test_every_lazy_command_loads():
    """A typo in COMMANDS would only show when someone runs that command."""
    root = click.Context(cli, info_name="crm")
    for name in COMMANDS:
        assert isinstance(cli.get_command(root, name), click.Command), name


def _complete_raw(words: str, env: dict, shell: str) -> str:
    parts = words.split(" ")
    return subprocess.run(
        [sys.executable, "-m", "crm"],
        env={**os.environ, **env, "_CRM_COMPLETE": f"{shell}_complete", "COMP_WORDS": words,
             "COMP_CWORD": str(len(parts) - 1)},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def _complete(words: str, env: dict) -> list[str]:
    """What bash completion offers for the command line `words` (the last word is being typed)."""
    return [line.split(",", 1)[1] for line in _complete_raw(words, env, "bash").splitlines() if "," in line]


def test_completion_offers_commands_options_and_contact_names(tmp_path, cli):
    env = {"CRM_DB": str(tmp_path / "crm.db")}
    assert cli("contact", "add", "Maya Chen").code == 0 and cli("contact", "add", "Marcus Lee").code == 0
    assert cli("contact", "add", "Ivan Roy").code == 0
    assert {"contact", "check"} <= set(_complete("crm c", env))
    assert "--json" in _complete("crm due --j", env)
    assert _complete("crm contact show Ma", env) == ["Marcus\\ Lee", "Maya\\ Chen"]  # bash: one argument each
    assert _complete("crm log iv", env) == ["Ivan\\ Roy"]
    assert "Maya Chen" in _complete_raw("crm contact show ma", env, "zsh").splitlines()  # zsh quotes for itself
    assert _complete("crm done nobody", env) == []


def test_completion_on_a_missing_database_offers_nothing_and_creates_nothing(tmp_path):
    env = {"CRM_DB": str(tmp_path / "absent.db")}
    assert _complete("crm contact show Ma", env) == []
    assert not (tmp_path / "absent.db").exists()


def test_completion_scripts(cli):
    for shell in ("bash", "zsh", "fish"):
        result = cli("completion", shell)
        assert result.code == 0 and "_CRM_COMPLETE" in result.out
    assert cli("completion", "tcsh").code == 2
