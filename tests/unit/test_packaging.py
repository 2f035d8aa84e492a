"""The wheel carries templates/ and migrations/ inside the package, and `crm` is a console script."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_ships_templates_and_migrations(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", ".git", "*.pyc", "__pycache__", ".*cache"))
    out = tmp_path / "dist"
    code = f"import hatchling.build as b; print(b.build_wheel({str(out)!r}))"
    name = (
        subprocess.run([sys.executable, "-c", code], cwd=source, capture_output=True, text=True, check=True)
        .stdout.strip()
        .splitlines()[-1]
    )
    with zipfile.ZipFile(out / name) as wheel:
        names = set(wheel.namelist())
        entry_points = next(wheel.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    assert "crm/migrations/env.py" in names
    assert "crm/migrations/script.py.mako" in names
    assert any(n.startswith("crm/migrations/versions/0001_") for n in names)
    for migration in (ROOT / "migrations" / "versions").glob("*.py"):
        assert f"crm/migrations/versions/{migration.name}" in names
    shipped = [p for p in (ROOT / "templates").iterdir() if p.is_file()]
    assert shipped
    for template in shipped:
        assert f"crm/templates/{template.name}" in names
    assert "crm = crm.cli:run" in entry_points


def test_python_dash_m_crm_works(tmp_path):
    result = subprocess.run([sys.executable, "-m", "crm", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "contact" in result.stdout and "log" in result.stdout
