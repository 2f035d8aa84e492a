"""What a lookup that finds nobody, or too many, says: "did you mean" for a typo, "use an id" for namesakes; and
`contact show --json` has every field (the LinkedIn "Connected On" date too). Both engines."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import dump

pytestmark = pytest.mark.usefixtures("db_url")


def _add(cli, name: str, *extra: str) -> int:
    result = cli("contact", "add", name, *extra)
    assert result.code == 0, result.err
    return int(result.out.split("#", 1)[1].split()[0])


def test_a_typo_gets_a_did_you_mean_and_writes_nothing(cli, db_path):
    _add(cli, "Maya Chen", "--company", "Spotify")
    _add(cli, "Søren Kjær")
    before = dump(db_path)
    result = cli("log", "Maya Chn", "--kind", "message")
    assert result.code == 2 and result.out == "" and "Traceback" not in result.err
    assert result.err == (
        "crm: no contact matches 'Maya Chn': did you mean Maya Chen? Otherwise see `crm contact list` or add them"
        " with `crm contact add`\n"
    )
    result = cli("contact", "show", "Soren Kjar")  # accents aside too
    assert result.code == 2 and "did you mean Søren Kjær?" in result.err
    assert dump(db_path) == before


def test_several_close_names_are_offered_best_first_and_far_ones_never(cli):
    for name in ("Maya Chen", "Maya Chan", "Maya Lin", "Jia Song", "Lucía Fernández"):
        _add(cli, name)
    result = cli("contact", "show", "Maya Chn")
    assert result.code == 2 and "did you mean Maya Chan or Maya Chen? Otherwise" in result.err
    result = cli("contact", "show", "mya")  # a word of the name mistyped
    assert "did you mean Maya Chan, Maya Chen or Maya Lin? Otherwise" in result.err
    assert "did you mean Lucía Fernández?" in cli("log", "lucai", "--kind", "note").err
    for far in ("Zelda Quartz", "xy", "q"):
        result = cli("contact", "show", far)
        assert result.code == 2 and "did you mean" not in result.err, far
        assert f"no contact matches {far!r}: see `crm contact list`" in result.err


def test_namesakes_are_told_to_use_an_id_not_more_of_the_name(cli, db_path):
    first = _add(cli, "Maya Chen", "--company", "Spotify")
    second = _add(cli, "MAYA CHEN", "--company", "Spotify")
    before = dump(db_path)
    for query in ("Maya Chen", "maya", "chen"):
        result = cli("contact", "show", query)
        assert result.code == 2 and result.out == ""
        assert result.err == (
            f"crm: {query!r} matches 2 contacts: #{first} Maya Chen (Spotify); #{second} MAYA CHEN (Spotify); use an id\n"
        )
    assert dump(db_path) == before
    _add(cli, "Maya Lin")
    result = cli("contact", "show", "maya")  # more of the name can tell Maya Lin apart: say so again
    assert result.code == 2 and result.err.endswith("; use an id or more of the name\n")
    assert json.loads(cli("contact", "show", str(second), "--json").out)["name"] == "MAYA CHEN"


def test_show_json_has_the_linkedin_connected_on_date(cli, tmp_path):
    csv = tmp_path / "old.csv"
    csv.write_text(
        "First Name,Last Name,Email Address,Company,Position,Connected On\r\nJia,Song,jia@example.com,Spotify,PM,"
        '"1/8/18, 6:14 PM"\r\n'
    )
    assert cli("import", "linkedin", str(csv)).code == 0
    data = json.loads(cli("contact", "show", "jia", "--json").out)
    assert data["source_date"] == "2018-01-08" and data["source"] == "LinkedIn"
    _add(cli, "Maya Chen")
    assert json.loads(cli("contact", "show", "maya", "--json").out)["source_date"] is None


def test_show_json_has_every_field_the_export_has(cli):
    """Every stored field of a contact the JSON export writes is in `contact show --json` too, but crm's own
    bookkeeping (which follow-up a snooze moved, which interaction a `done` closed)."""
    _add(cli, "Maya Chen", "--company", "Spotify", "--email", "maya@example.com")
    assert cli("log", "maya", "--kind", "message", "--date", "2026-11-20").code == 0
    assert cli("snooze", "maya", "2026-12-09").code == 0
    exported = json.loads(cli("export", "json", "-").out)
    shown = json.loads(cli("contact", "show", "maya", "--json").out)
    bookkeeping = {"introduced_by_id", "next_follow_up_key", "follow_up_key", "follow_up_after_id", "done_through_id"}
    assert set(exported["contacts"][0]) - set(shown) == bookkeeping  # introduced_by_id: shown as introduced_by
    assert shown["follow_up_on"] == "2026-12-09" == exported["contacts"][0]["follow_up_on"]
    assert shown["follow_up_note"] == exported["contacts"][0]["follow_up_note"]
    assert cli("done", "maya").code == 0
    assert json.loads(cli("contact", "show", "maya", "--json").out)["done_on"] == "2026-11-25"


@pytest.mark.sqlite_only
def test_the_did_you_mean_library_is_imported_only_on_that_error(cli, tmp_path):
    _add(cli, "Maya Chen")
    env = {**os.environ, "CRM_DB": str(tmp_path / "crm.db")}

    def imports(query: str) -> bool:
        run = subprocess.run([sys.executable, "-X", "importtime", "-m", "crm", "contact", "show", query],
                             env=env, capture_output=True, text=True)  # fmt: skip
        return "rapidfuzz" in run.stderr

    assert not imports("maya")
    assert imports("Maya Chn")
