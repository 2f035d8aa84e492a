"""Layering and start-up: the domain never imports UI toolkits; quick commands stay lean."""

import json
import os
import subprocess
import sys

import pytest

DOMAIN = [
    "crm.models", "crm.errors", "crm.dates", "crm.profile", "crm.demo",
    "crm.store", "crm.store.db", "crm.store.paths", "crm.store.settings",
    "crm.contacts.fields", "crm.contacts.reads", "crm.contacts.writes", "crm.contacts.hooks", "crm.contacts.interactions",
    "crm.followups.cadence", "crm.followups.rules", "crm.followups.reads", "crm.followups.writes",
    "crm.formats.ics", "crm.outreach.checks", "crm.outreach.render", "crm.outreach.drafts",
]  # fmt: skip


def _modules_after(code: str, env: dict | None = None) -> set[str]:
    script = code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env={**os.environ, **(env or {})}
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_never_imports_ui(module):
    loaded = _modules_after(f"import {module}")
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "typer", "click", "rich")}


def test_contact_list_imports_no_textual_jinja_or_alembic_at_head(tmp_path):
    db = tmp_path / "lean.db"
    env = {"CRM_DB": str(db)}
    subprocess.run([sys.executable, "-m", "crm", "contact", "add", "Maya"], check=True, env={**os.environ, **env})
    code = (
        "import sys\nfrom crm.cli import main\n"
        "try:\n    main(['contact', 'list', '--json'])\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
    )
    loaded = _modules_after(code, env)
    heavy = {m.split(".")[0] for m in loaded} & {"textual", "jinja2", "alembic", "rich"}
    assert heavy == set()
    # Beyond the rule: read-only hot paths run on plain sqlite3, without loading the ORM at all.
    assert not {m.split(".")[0] for m in loaded} & {"sqlalchemy", "sqlmodel"}


@pytest.mark.parametrize("args", [["due", "--json"], ["contact", "show", "1", "--json"], []])
def test_other_hot_reads_stay_off_the_orm(tmp_path, args):
    db = tmp_path / "lean.db"
    env = {"CRM_DB": str(db)}
    subprocess.run([sys.executable, "-m", "crm", "contact", "add", "Maya"], check=True, env={**os.environ, **env})
    code = (
        f"from crm.cli import main\ntry:\n    main({args!r})\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
    )
    loaded = {m.split(".")[0] for m in _modules_after(code, env)}
    assert not loaded & {"sqlalchemy", "sqlmodel", "textual", "jinja2", "alembic"}


def test_an_old_database_does_import_alembic_to_upgrade(tmp_path):
    """The converse, so the lean test above cannot pass by never checking the schema."""
    db = tmp_path / "empty.db"
    db.touch()
    code = "from crm.cli import main\ntry:\n    main(['contact', 'list'])\nexcept SystemExit:\n    pass\n"
    assert "alembic" in _modules_after(code, {"CRM_DB": str(db)})
