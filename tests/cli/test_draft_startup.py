"""`crm draft` starts with what drafting needs (issue 12): with a named template it shows and writes no follow-up
date, so it loads no settings and checks no schedule; without one, what is due picks the template, so it does."""

import json
import subprocess
import sys

# `crm ARGS` in a fresh interpreter, then the modules it loaded, as the last line of output.
RUN = """
import json, sys
from crm.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""
SCHEDULE_CHECK = {"crm.store.settings", "crm.followups.freshness"}


def _draft(*args: str) -> tuple[dict, set[str]]:
    lines = subprocess.run([sys.executable, "-c", RUN, "draft", *args], capture_output=True, text=True).stdout
    *printed, modules = lines.strip().splitlines()
    return json.loads("\n".join(printed)), set(json.loads(modules))


def test_draft_with_a_named_template_loads_no_settings(cli):
    assert cli("demo").code == 0
    draft, loaded = _draft("Arjun Mehta", "--template", "first-message", "--json")
    assert draft["template"] == "first-message" and draft["text"].startswith("Hi Arjun,")
    assert not loaded & SCHEDULE_CHECK, loaded & SCHEDULE_CHECK
    assert "crm.followups.reads" not in loaded  # what is due is not looked up either


def test_draft_without_a_template_checks_the_schedule_that_picks_it(cli):
    assert cli("demo").code == 0
    draft, loaded = _draft("Hannah Park", "--json")
    assert draft["template"] == "nudge"  # what is due for her (tests/cli/test_outreach.py DUE)
    assert loaded >= SCHEDULE_CHECK


def test_a_command_collects_garbage_at_the_cli_pace_then_puts_it_back(monkeypatch):
    """main() raises the young generation's threshold while a command runs (short-lived, little cyclic garbage)."""
    import gc

    import crm.cli

    during: list[tuple[int, ...]] = []
    monkeypatch.setattr(crm.cli, "_main", lambda args: during.append(gc.get_threshold()))
    before = gc.get_threshold()
    crm.cli.main(["due"])
    assert during == [crm.cli.CLI_GC_THRESHOLD] and during[0][0] > before[0]
    assert gc.get_threshold() == before


def test_the_program_freezes_what_is_alive_on_its_way_out_even_after_an_error(monkeypatch):
    """`crm` is crm.cli.run: main(), then gc.freeze() so Python's collections at shutdown skip every live object."""
    import gc

    import crm.cli

    calls: list[str] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))

    def failing_main() -> None:
        calls.append("main")
        raise SystemExit(2)

    monkeypatch.setattr(crm.cli, "main", failing_main)
    try:
        crm.cli.run()
    except SystemExit as exit_:
        assert exit_.code == 2
    assert calls == ["main", "freeze"]
