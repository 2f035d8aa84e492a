"""`crm stats`, `crm companies`, `crm target add`, `crm prep` and the warm path of `crm contact show`, end to end.

The demo network's numbers are counted by hand from crm/demo.py (CRM_TODAY is Wed 2026-11-25 in every test).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from crm.outreach.checks import check_referral_ask
from tests.conftest import dump

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)

CONTRACT_TEMPLATE_KEYS = {"template", "sent", "replied", "reply_rate", "ci_low", "ci_high"}
CONTRACT_COMPANY_KEYS = {"company", "contacts", "warmest", "last_touch", "next_follow_up", "target"}


def _json(cli, *args):
    result = cli(*args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.fixture
def demo(cli):
    assert cli("demo").code == 0


def assert_refused(result, *words):
    assert result.code == 2, (result.code, result.out, result.err)
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    for word in words:
        assert word in result.err, result.err


# ---------------------------------------------------------------- stats


def test_stats_on_the_demo_network(cli, demo):
    data = _json(cli, "stats")
    assert data["funnel"] == {
        "by_stage": {"identified": 3, "contacted": 4, "replied": 1, "chatted": 3, "advocate": 3, "dormant": 0},
        "by_kind": {"message": 26, "reply": 8, "chat": 7, "intro": 2, "referral": 1, "note": 1},
        "archived": 0,
    }
    # Written to: all but Arjun, Rachel and Olivia (11). Replied: Maya 2 days, Priya 1, Jonah 3, Marcus 1, Grace 2,
    # Daniel 2, Lena 6 -> 7 of 11, median 2 days. Hannah, Tom, Ethan and Sofia have not replied.
    assert (data["messages_sent"], data["contacts_messaged"], data["contacts_replied"]) == (26, 11, 7)
    assert data["reply_rate"] == round(7 / 11, 4) and data["median_days_to_reply"] == 2.0
    assert (data["chats"], data["intros"], data["referrals"]) == (7, 2, 1)
    # No draft was ever sent in the demo: every message is "(no template)". Eight replies, each to a different
    # message (Maya answered two: the first, and the skip-rate analysis).
    assert data["templates"] == [{
        "template": "(no template)", "sent": 26, "replied": 8, "reply_rate": round(8 / 26, 4),
        "ci_low": 0.165, "ci_high": 0.4999,
    }]  # fmt: skip
    assert [set(t) for t in data["templates"]] == [CONTRACT_TEMPLATE_KEYS]
    assert len(data["trend"]) == 8 and data["trend"][-1]["week"] == "2026-W48"
    assert sum(w["chats"] for w in data["trend"]) == 7  # every demo chat is within the last eight weeks


def test_stats_counts_templates_of_sent_drafts(cli):
    assert cli("contact", "add", "Maya Chen", "--company", "Spotify", "--team", "Personalization").code == 0
    assert cli("hook", "add", "maya", "post on reducing playlist-loading latency",
               "--question", "how do you weigh UX fixes against infrastructure?").code == 0  # fmt: skip
    assert cli("me", "--name", "Alex Rivera", "--school", "MIT", "--year", "junior", "--major", "Course 6-3",
               "--target", "Product Manager at Spotify").code == 0  # fmt: skip
    assert cli("project", "add", "Campus music app API", "--result", "cut load time from 3.2s to 1.4s").code == 0
    sent = cli("draft", "maya", "--send")
    assert sent.code == 0, sent.out + sent.err
    assert cli("log", "maya", "--kind", "reply").code == 0
    data = _json(cli, "stats")
    assert data["templates"] == [{
        "template": "first-message", "sent": 1, "replied": 1, "reply_rate": 1.0, "ci_low": 0.2065, "ci_high": 1.0,
    }]  # fmt: skip
    text = cli("stats").out
    assert "first-message replies 100% (n=1, 20-100%)" in text


def test_stats_human_output(cli, demo):
    result = cli("stats")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "Contacts: 14 (identified 3 · contacted 4 · replied 1 · chatted 3 · advocate 3 · dormant 0)"
    assert "  messages sent 26 · chats 7 · intros 2 · referrals offered 1" in lines
    assert "  reply rate 64% (7 of 11 people written to replied; median 2 days to reply)" in lines
    sparks = [line for line in lines if line.startswith(("  messages  ", "  replies   ", "  chats     "))]
    assert len(sparks) == 3 and all(set(line.split()[1]) <= set("▁▂▃▄▅▆▇█") for line in sparks)
    assert "  (no template) replies 31% (n=26, 16-50%)" in lines


def test_stats_marks_a_better_template_only_when_the_intervals_separate():
    import datetime as dt

    from crm.cli.insights import format_stats
    from crm.insights.funnel import Funnel, Week
    from crm.insights.templates_ab import TemplateStats

    day = dt.date(2026, 11, 23)
    data = Funnel(
        today=dt.date(2026, 11, 25), since=None, by_stage={"identified": 1}, archived=0,
        by_kind={"message": 97, "reply": 38, "chat": 0, "intro": 0, "referral": 0, "note": 0},
        contacts_messaged=97, contacts_replied=38, median_days_to_reply=1.5, trend=[Week(day, 97, 38, 0)],
        templates=[TemplateStats("v2", 40, 30), TemplateStats("v1", 40, 8), TemplateStats("v3", 17, 0)],
    )  # fmt: skip
    text = format_stats(data)
    assert "  v2 replies 75% (n=40, 59-86%)  better than v1, v3" in text.splitlines()
    assert "  v1 replies 20% (n=40, 10-35%)" in text.splitlines()
    assert "median 1.5 days to reply" in text
    close = Funnel(**{**data.__dict__, "templates": [TemplateStats("a", 17, 7), TemplateStats("b", 12, 3)]})
    assert "(no template is better yet: every interval overlaps another)" in format_stats(close)


def test_stats_since(cli, demo):
    data = _json(cli, "stats", "--since", "2026-11-01")
    # First written to from Nov 1: Jonah (replied in 3 days), Lena (6), Hannah, Tom, Ethan (Nov 1), Sofia.
    assert (data["contacts_messaged"], data["contacts_replied"], data["median_days_to_reply"]) == (6, 2, 4.5)
    assert data["since"] == "2026-11-01" and data["trend"][0]["start"] == "2026-10-26"
    assert data["funnel"]["by_stage"]["advocate"] == 3


@pytest.mark.parametrize(
    ("since", "words"), [("garbage", ["garbage"]), ("tomorrow", ["after today"]), ("2026-02-30", ["not a real date"])]
)
def test_a_bad_since_is_refused_and_nothing_is_written(cli, demo, db_path, since, words):
    before = dump(db_path)
    assert_refused(cli("stats", "--since", since), *words)
    assert dump(db_path) == before


def test_stats_on_an_empty_network(cli):
    data = _json(cli, "stats")
    assert data["reply_rate"] is None and data["median_days_to_reply"] is None and data["templates"] == []
    assert "reply rate --: no one written to yet" in cli("stats").out


# ---------------------------------------------------------------- companies and targets


def test_companies_on_the_demo_network_with_targets(cli, demo, db_path):
    assert cli("target", "add", "Figma").out.strip() == "Added target company Figma"
    assert cli("target", "add", "figma").out.strip() == "Figma is already a target company"
    assert cli("target", "add", "spotify").code == 0
    rows = _json(cli, "companies")
    assert all(set(row) == CONTRACT_COMPANY_KEYS for row in rows)
    assert [(r["company"], r["contacts"], r["target"]) for r in rows] == [
        ("Figma", 0, True), ("Spotify", 11, True), ("Cadenza Audio", 1, False), ("Netflix", 1, False),
        ("SoundCloud", 1, False),
    ]  # fmt: skip
    spotify = rows[1]
    # Advocates at Spotify: Maya (referral yesterday) and Priya (intro 14 days ago): Maya is the most recent.
    assert spotify["warmest"]["name"] == "Maya Chen" and spotify["warmest"]["stage"] == "advocate"
    assert spotify["last_touch"] == "2026-11-24"
    assert spotify["next_follow_up"] == "2026-11-18"  # Daniel's keep-in-touch, a week overdue
    text = cli("companies").out
    assert "no one at Figma yet" in text and "Maya Chen (advocate)" in text


def test_a_target_with_imported_connections_says_so(cli):
    for name in ("Ana Li", "Bo Chen"):
        assert cli("contact", "add", name, "--company", "Figma", "--source", "LinkedIn").code == 0
    assert cli("target", "add", "FIGMA").code == 0
    assert "no one you've written to at Figma yet: 2 of your imported connections work there" in cli("companies").out


def test_target_add_refuses_a_blank_name_and_writes_nothing(cli, demo, db_path):
    before = dump(db_path)
    assert_refused(cli("target", "add", "   "), "no company given")
    assert dump(db_path) == before


def test_no_companies_yet(cli):
    assert _json(cli, "companies") == []
    assert "No companies yet" in cli("companies").out


# ---------------------------------------------------------------- warm paths in contact show


def test_contact_show_prints_the_warm_path(cli):
    assert cli("contact", "add", "Ivan Roy").code == 0
    assert cli("contact", "add", "Jia Song", "--introduced-by", "ivan").code == 0
    assert cli("contact", "add", "Lee Park", "--introduced-by", "jia").code == 0
    assert "  warm path: Ivan Roy -> Jia Song -> Lee Park" in cli("contact", "show", "lee").out
    assert "warm path" not in cli("contact", "show", "ivan").out
    assert _json(cli, "contact", "show", "lee")["path"] == [
        {"id": 1, "name": "Ivan Roy"}, {"id": 2, "name": "Jia Song"}, {"id": 3, "name": "Lee Park"},
    ]  # fmt: skip


@pytest.mark.sqlite_only  # reads or plants rows with sqlite3 on the file
def test_contact_show_survives_a_cycle_planted_with_raw_sql(cli, db_path):
    import sqlite3

    assert cli("contact", "add", "Ann").code == 0
    assert cli("contact", "add", "Bob", "--introduced-by", "ann").code == 0
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE contact SET introduced_by_id = 2 WHERE id = 1")
    result = cli("contact", "show", "bob")
    assert result.code == 0 and "  warm path: Ann -> Bob" in result.out
    assert [s["name"] for s in _json(cli, "contact", "show", "ann")["path"]] == ["Bob", "Ann"]
    assert [s["name"] for s in _json(cli, "prep", "ann")["path"]] == ["Bob", "Ann"]


def test_the_demo_intro_chain(cli, demo):
    assert [s["name"] for s in _json(cli, "contact", "show", "jonah")["path"]] == ["Priya Raman", "Jonah Weiss"]
    assert [s["name"] for s in _json(cli, "contact", "show", "olivia")["path"]] == ["Marcus Lee", "Olivia Grant"]


# ---------------------------------------------------------------- prep


def test_prep_on_the_demo_network(cli, demo):
    data = _json(cli, "prep", "jonah")
    assert {"contact", "path", "hooks", "chats", "open_promises", "project", "questions"} <= set(data)
    assert [s["name"] for s in data["path"]] == ["Priya Raman", "Jonah Weiss"]
    assert data["contact"]["team"] == "Podcasts" and data["hooks"][0]["text"].startswith("paper on cold-start")
    # His chat yesterday came after my last message (8 days ago): its next step is still open.
    assert data["open_promises"] == [
        {"date": "2026-11-24", "next_step": "Send him my notes on the podcast cold-start paper.", "due": None, "id": None}
    ]
    assert data["project"]["name"] == "Campus music app API"
    assert (
        len(data["questions"]) == 3
        and data["questions"][0] == "Which signal helps most when a podcast has no listens yet?"
    )
    assert not any(check_referral_ask(q) for q in data["questions"])
    # Maya: my last message (6 days ago) came after both chats: nothing open.
    maya = _json(cli, "prep", "maya")
    assert maya["open_promises"] == [] and len(maya["chats"]) == 2 and maya["path"] == [{"id": 1, "name": "Maya Chen"}]


def test_prep_human_output(cli, demo):
    result = cli("prep", "jonah")
    assert result.code == 0, result.err
    out = result.out
    assert out.startswith("Prep: Jonah Weiss -- Senior Product Manager, Podcasts, Spotify\n")
    assert "  How you met: Priya Raman -> Jonah Weiss (Intro from Priya Raman)" in out
    assert "  So far: 2 messages, 1 reply, 1 chat; last Nov 24" in out
    assert "  - Send him my notes on the podcast cold-start paper. (chat on Nov 24)" in out
    assert "Your project to mention: Campus music app API -- cut load time from 3.2s to 1.4s" in out
    assert "  3. " in out


@pytest.mark.parametrize("who", ["nobody", "#99", "99"])
def test_prep_of_an_unknown_contact_is_refused(cli, demo, db_path, who):
    before = dump(db_path)
    assert_refused(cli("prep", who), "no contact")
    assert dump(db_path) == before


def test_prep_of_an_ambiguous_name_lists_them(cli, demo):
    assert_refused(cli("prep", "a"), "matches")


# ---------------------------------------------------------------- lean start-up


@pytest.mark.parametrize("args", [["stats", "--json"], ["companies", "--json"]])
def test_insight_reads_stay_off_the_orm(tmp_path, args):
    db = tmp_path / "lean.db"
    env = {**os.environ, "CRM_DB": str(db)}
    subprocess.run([sys.executable, "-m", "crm", "contact", "add", "Maya", "--company", "Spotify"], check=True, env=env)
    code = (
        f"import sys\nfrom crm.cli import main\ntry:\n    main({args!r})\nexcept SystemExit as e:\n"
        "    assert e.code == 0, e.code\nprint(sorted({m.split('.')[0] for m in sys.modules}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    loaded = set(eval(out.strip().splitlines()[-1]))  # noqa: S307 (our own output)
    assert not loaded & {"sqlalchemy", "sqlmodel", "textual", "jinja2", "alembic"}
