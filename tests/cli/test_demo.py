"""`crm demo`: a realistic network on an empty database, dated relative to today, and never twice."""

import datetime as dt
import json

import pytest

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)

WEDNESDAY = dt.date(2026, 11, 25)
SPOTIFY_TEAMS = {"Personalization", "Discovery", "Home", "Podcasts"}


@pytest.fixture
def crm(cli):
    """Run `crm ARGS...` in-process (the shared `cli` fixture); returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        result = cli(*args)
        return result.code, result.out, result.err

    return run


def _json(crm, *args):
    code, out, err = crm(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def _everyone(crm) -> dict[str, dict]:
    """`contact show --json` for every contact, by name."""
    return {row["name"]: _json(crm, "contact", "show", str(row["id"])) for row in _json(crm, "contact", "list")}


def test_demo_loads_a_realistic_network(crm):
    code, out, err = crm("demo")
    assert code == 0, err
    assert out.startswith("Loaded ") and "crm contact list" in out

    rows = _json(crm, "contact", "list")
    assert len(rows) >= 12
    assert {r["team"] for r in rows if r["company"] == "Spotify"} >= SPOTIFY_TEAMS
    assert len({r["company"] for r in rows} - {"Spotify"}) >= 2
    assert all(r["last_interaction"] is None or r["last_interaction"] <= WEDNESDAY.isoformat() for r in rows)
    assert {"identified", "contacted", "replied", "chatted", "advocate"} <= {r["stage"] for r in rows}
    assert f"Loaded {len(rows)} contacts" in out


def test_contact_details_hooks_timeline_and_intro_chain(crm):
    assert crm("demo")[0] == 0
    people = _everyone(crm)
    chatted = [p for p in people.values() if p["stage"] == "chatted"]
    assert chatted
    for person in chatted:
        assert person["hooks"] and person["hooks"][0]["text"]
        chats = [i for i in person["interactions"] if i["kind"] == "chat"]
        assert chats and all(c["notes"] and c["takeaways"] and c["next_step"] for c in chats)
    with_hooks = [p for p in people.values() if p["hooks"]]
    assert len(with_hooks) >= len(people) - 1
    assert all(p["email"].endswith("@example.com") for p in people.values())
    assert all(p["linkedin_url"].startswith("https://www.linkedin.com/in/") for p in people.values())
    assert {p["school"] for p in people.values()} - {"MIT"}  # a couple are not MIT alumni

    introduced = {name: p for name, p in people.items() if p["introduced_by"]}
    assert introduced
    for name, person in introduced.items():
        introducer = people[person["introduced_by"]["name"]]
        assert introducer["stage"] == "advocate"
        assert any(i["kind"] == "intro" and i["intro_to"]["name"] == name for i in introducer["interactions"])
    # A full chain: someone introduced was then messaged.
    assert any(any(i["kind"] == "message" for i in p["interactions"]) for p in introduced.values())
    kinds = {i["kind"] for p in people.values() for i in p["interactions"]}
    assert kinds == {"message", "reply", "chat", "intro", "referral", "note"}


def test_profile_and_projects(crm):
    assert crm("demo")[0] == 0
    me = _json(crm, "me")
    assert me["school"] == "MIT" and "Spotify" in me["target"] and me["name"]
    projects = _json(crm, "project", "list")
    assert len(projects) == 2
    assert all(any(ch.isdigit() for ch in p["result"]) for p in projects)


def test_second_demo_refuses_and_writes_nothing(crm):
    assert crm("demo")[0] == 0
    before = _json(crm, "contact", "list")
    code, out, err = crm("demo")
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "not empty" in err
    assert _json(crm, "contact", "list") == before
    assert len(_json(crm, "project", "list")) == 2


def test_demo_refuses_a_database_with_only_a_project(crm):
    assert crm("project", "add", "Thesis", "--result", "3 papers")[0] == 0
    assert crm("demo")[0] == 2
    assert _json(crm, "contact", "list") == []


def test_demo_never_overwrites_my_profile(crm):
    assert crm("me", "--name", "Real Me")[0] == 0
    assert crm("demo")[0] == 2
    assert _json(crm, "me")["name"] == "Real Me"
    assert _json(crm, "contact", "list") == []


def test_same_day_same_data(crm, tmp_path, monkeypatch):
    def snapshot():
        people = _everyone(crm)
        for person in people.values():
            del person["created_at"], person["updated_at"]
        return people

    assert crm("demo")[0] == 0
    first = snapshot()
    monkeypatch.setenv("CRM_DB", str(tmp_path / "again.db"))
    assert crm("demo")[0] == 0
    assert snapshot() == first


@pytest.mark.parametrize(
    "today",
    ["2026-11-23", "2026-11-27", "2026-11-28", "2026-11-29", "2028-02-29", "2027-01-01", "2026-01-02"],
)
def test_any_day_loads_with_nothing_in_the_future(crm, monkeypatch, today):
    """Monday, Friday, Saturday, Sunday, a leap day, New Year's Day, and history reaching into last year."""
    monkeypatch.setenv("CRM_TODAY", today)
    code, _, err = crm("demo")
    assert code == 0, err
    people = _everyone(crm)
    dates = [i["date"] for p in people.values() for i in p["interactions"]]
    dates += [h["date"] for p in people.values() for h in p["hooks"] if h["date"]]
    assert dates and max(dates) <= today
    oldest = dt.date.fromisoformat(today) - dt.timedelta(days=62)
    assert min(i["date"] for p in people.values() for i in p["interactions"]) >= oldest.isoformat()
    assert all(p["stage"] != "dormant" for p in people.values())


def _business_days_after(day: dt.date, count: int) -> dt.date:
    while count:
        day += dt.timedelta(days=1)
        count -= day.weekday() < 5
    return day


@pytest.mark.parametrize("today", ["2026-11-23", "2026-11-25", "2026-11-27", "2026-11-28", "2026-11-29"])
def test_follow_up_situations_hold_on_every_weekday(crm, monkeypatch, today):
    """The SPEC rules applied by hand to the contacts the demo's header comment names."""
    monkeypatch.setenv("CRM_TODAY", today)
    assert crm("demo")[0] == 0
    day = dt.date.fromisoformat(today)
    sunday = day + dt.timedelta(days=6 - day.weekday())
    people = _everyone(crm)

    def timeline(name):  # oldest first, as (date, kind)
        return [(dt.date.fromisoformat(i["date"]), i["kind"]) for i in reversed(people[name]["interactions"])]

    # Keep-in-touch (every 4 weeks from the last interaction): due this week, not overdue.
    grace = timeline("Grace Kim")
    assert {k for _, k in grace} >= {"chat", "message"} and grace[-1][1] == "message"
    assert day <= grace[-1][0] + dt.timedelta(weeks=4) <= sunday
    # Keep-in-touch overdue.
    assert timeline("Daniel Okafor")[-1][0] + dt.timedelta(weeks=4) < day
    # Reply waiting for my answer (due the next day): overdue.
    lena = timeline("Lena Fischer")
    assert lena[-1][1] == "reply" and lena[-1][0] + dt.timedelta(days=1) < day
    # Nudge 7 business days after an unanswered first message: due today on weekdays, overdue for Tom.
    (hannah_sent, kind), *rest = timeline("Hannah Park")
    assert kind == "message" and not rest
    if day.weekday() < 5:
        assert _business_days_after(hannah_sent, 7) == day
    assert [k for _, k in timeline("Tom Becker")] == ["message"]
    assert _business_days_after(timeline("Tom Becker")[0][0], 7) < day
    # Awaiting reply: messaged in the last few days.
    sofia = timeline("Sofia Alvarez")
    assert [k for _, k in sofia] == ["message"] and (day - sofia[0][0]).days <= 3
    # One nudge sent, still no reply: nothing more is scheduled.
    assert [k for _, k in timeline("Ethan Brooks")] == ["message", "message"]
    # Yesterday's intro: thank Marcus today, message Olivia tomorrow.
    assert timeline("Marcus Lee")[-1] == (day - dt.timedelta(days=1), "intro")
    assert people["Olivia Grant"]["introduced_by"]["name"] == "Marcus Lee"
    # Never contacted.
    assert people["Arjun Mehta"]["interactions"] == [] and people["Arjun Mehta"]["stage"] == "identified"
    # The referral comes late in the longest relationship, offered after two chats: thank Maya today.
    maya = timeline("Maya Chen")
    assert ("referral" in {k for _, k in maya[-3:]}) and len(maya) >= 8
    assert maya[-1] == (day - dt.timedelta(days=1), "referral") and [k for _, k in maya].count("chat") == 2
    # A chat yesterday: the thank-you is due today (the intro chain's B, Jonah).
    assert timeline("Jonah Weiss")[-1] == (day - dt.timedelta(days=1), "chat")
    assert people["Jonah Weiss"]["introduced_by"]["name"] == "Priya Raman"


def test_every_demo_hook_has_its_own_question(crm):
    assert crm("demo")[0] == 0
    hooks = [h for p in _everyone(crm).values() for h in p["hooks"]]
    questions = [h["question"] for h in hooks]
    assert all(q and q.endswith("?") and q.count("?") == 1 for q in questions)
    assert len(set(questions)) == len(hooks)
    assert all(h["text"].split()[0] not in ("asked", "said") for h in hooks)  # noun phrases: "I saw your ..."
