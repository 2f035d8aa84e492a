"""An import matches a contact added by hand whose name differs only in accents (same company), but a contact with
that very name comes first. Both engines."""

from __future__ import annotations

import json

import pytest

from crm.contacts.matching import Candidate, ContactMatcher

pytestmark = pytest.mark.usefixtures("db_url")

HEADER = "First Name,Last Name,Email Address,Company,Position,Connected On\r\n"


def test_a_linkedin_row_without_accents_updates_the_contact_added_by_hand(cli, tmp_path):
    assert cli("contact", "add", "Tomás Villanueva", "--company", "Spotify").code == 0
    assert cli("contact", "add", "Lucia Fernandez", "--company", "Spotify").code == 0
    assert cli("contact", "add", "Lucía Fernández", "--company", "Spotify").code == 0
    csv = tmp_path / "c.csv"
    csv.write_text(
        HEADER + 'Tomas,Villanueva,tomas@example.com,Spotify,PM,"1/8/18, 6:14 PM"\r\n'
        'Lucía,Fernández,lucia@example.com,Spotify,Eng,"2/8/19, 6:14 PM"\r\n'
        'Tomas,Villanueva,,Klarna,PM,"2/8/19, 6:14 PM"\r\n'  # another company: another person
    )
    result = cli("import", "linkedin", str(csv))
    assert result.code == 0, result.err
    assert "1 added, 2 updated" in result.out
    names = [row["name"] for row in json.loads(cli("contact", "list", "--json").out)]
    assert sorted(names) == ["Lucia Fernandez", "Lucía Fernández", "Tomas Villanueva", "Tomás Villanueva"]
    tomas = json.loads(cli("contact", "show", "1", "--json").out)
    assert tomas["email"] == "tomas@example.com" and tomas["source_date"] == "2018-01-08"
    lucia = json.loads(cli("contact", "show", "Lucía Fernández", "--json").out)
    assert lucia["email"] == "lucia@example.com"  # the very name, not Lucia Fernandez
    assert json.loads(cli("contact", "show", "Lucia Fernandez", "--json").out)["email"] is None


@pytest.mark.sqlite_only  # no database
def test_the_matcher_prefers_the_very_name_and_lists_several_accent_matches():
    matcher = ContactMatcher([Candidate(1, "Zoë Müller", company="Spotify"), Candidate(2, "Zoe Muller", company="Spotify"),
                              Candidate(3, "Søren Kjær", company="Spotify"), Candidate(4, "Soren Kjær", company="Klarna")])  # fmt: skip
    assert matcher.match(name="ZOE MULLER", company="spotify").id == 2
    assert matcher.match(name="Zoë Müller", company="Spotify").id == 1
    assert [c.id for c in matcher.match(name="Zoe Müller", company="Spotify")] == [1, 2]
    assert matcher.match(name="soren kjaer", company="Spotify").id == 3
    assert matcher.match(name="soren kjaer", company="Deezer") is None
