"""crm never uses the network: no command and no screen of the app opens a connection, looks up a host or sends a
packet (so there is no telemetry either), and no crm module imports a networking library.

The runtime check runs in a subprocess with a Python audit hook (PEP 578): CPython raises an audit event for every
socket made or connected, every name lookup and every urllib/http.client request, whichever library asks, and the
hook refuses any that is not a local (AF_UNIX) socket, which asyncio uses to wake itself. A planted connection
proves the hook sees one.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "crm"

HARNESS = r"""
import asyncio, json, os, socket, sys
from pathlib import Path

NETWORK = {"socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
           "socket.gethostbyaddr", "socket.getnameinfo", "socket.sendto", "socket.sendmsg", "urllib.Request",
           "http.client.connect", "http.client.send", "ftplib.connect", "smtplib.connect", "poplib.connect",
           "imaplib.open", "webbrowser.open"}
seen = []

def hook(event, args):
    if event == "socket.__new__":
        family = args[1]
        if family != socket.AF_UNIX:
            seen.append(f"{event} family={family}")
            raise PermissionError(f"crm must not use the network ({event})")
    elif event in NETWORK and not (event == "socket.connect" and isinstance(args[1], (str, bytes))):
        seen.append(f"{event} {args[1:]!r}"[:200])
        raise PermissionError(f"crm must not use the network ({event})")

sys.addaudithook(hook)

# The hook sees a connection: a planted one is refused and recorded (then forgotten, as it is ours).
try:
    socket.create_connection(("127.0.0.1", 9), timeout=1)
except PermissionError:
    pass
assert seen, "the audit hook did not see a planted connection"
planted, seen[:] = list(seen), []

from crm.cli import main

tmp = Path(sys.argv[1])
data = Path(sys.argv[2])
results = []

def crm(*args):
    try:
        main(list(args))
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    results.append((" ".join(args), code))

(tmp / "message.txt").write_text("Hi Maya, I loved your post on playlist latency. What would you measure first?\n")
for args in (
    ["demo"], ["due"], ["due", "--json"], ["contact", "list"], ["contact", "show", "maya", "--json"],
    ["contact", "add", "Ana Li", "--company", "Spotify"], ["contact", "edit", "ana", "--team", "Home"],
    ["hook", "add", "ana", "post on home feed ranking", "--url", "https://example.com/post"],
    ["log", "ana", "--kind", "message", "--notes", "first message"], ["done", "maya"], ["snooze", "jonah", "+3d"],
    ["search", "playlist"], ["check", str(tmp / "message.txt")], ["draft", "maya"], ["stats"], ["companies"],
    ["prep", "maya"], ["target", "add", "Netflix"], ["me"], ["project", "list"], ["template", "list"],
    ["export", "json", str(tmp / "all.json")], ["export", "csv", str(tmp / "all.csv")],
    ["export", "ics", str(tmp / "due.ics")], ["export", "vcard", str(tmp / "cards")],
    ["import", "vcard", str(data / "vcard")], ["import", "linkedin", str(data / "linkedin" / "Connections-sample.csv")],
    ["backup"], ["db", "current"], ["contact", "list", "--duplicates"], ["contact", "forget", "ana", "--yes"],
    ["--db", str(tmp / "restored.db"), "restore", str(tmp / "all.json")],
):
    crm(*args)

# The app: every screen, a contact, the draft screen, the prep brief and the help.
from crm.store.store import Store
from crm.tui.app import CrmApp
import datetime as dt

async def drive():
    app = CrmApp(Store(Path(os.environ["CRM_DB"])), dt.date.fromisoformat(os.environ["CRM_TODAY"]))
    async with app.run_test(size=(100, 30)) as pilot:
        for key in ("w", "c", "enter", "p", "escape", "d", "escape", "escape", "i", "t", "question_mark", "escape"):
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        app.exit()
    app.store.close()
    return [type(s).__name__ for s in app.screen_stack]

results.append(("app", 0 if asyncio.run(drive()) is not None else 1))
print(json.dumps({"planted": planted, "seen": seen, "results": results}))
"""


def test_no_command_and_no_screen_of_the_app_uses_the_network(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", HARNESS, str(tmp_path), str(ROOT / "tests" / "data")],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["planted"], "the hook must see a planted connection, or this test proves nothing"
    assert report["seen"] == []
    failed = [(command, code) for command, code in report["results"] if code not in (0, 1)]
    assert failed == [], done.stderr[-3000:]
    assert len(report["results"]) >= 30
    assert "Traceback" not in done.stderr


NETWORK_MODULES = {
    "socket", "ssl", "http", "urllib.request", "urllib3", "requests", "httpx", "aiohttp", "ftplib", "smtplib",
    "poplib", "imaplib", "xmlrpc", "webbrowser", "telnetlib", "asyncio.streams", "sentry_sdk", "posthog",
}  # fmt: skip


def network_imports(path: Path) -> list[str]:
    """The networking modules `path` imports (anywhere in the file)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        hits = [name for name in names if any(name == m or name.startswith(m + ".") for m in NETWORK_MODULES)]
        found += hits[:1]  # `from urllib import request` is one import of urllib.request
    return found


def test_the_import_check_sees_a_network_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import json\nfrom urllib.parse import quote\n\ndef f():\n    from urllib import request\n    import socket\n"
    )
    assert network_imports(sample) == ["urllib.request", "socket"]


def test_no_crm_module_imports_a_networking_library():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 50
    assert [f"{path.relative_to(ROOT)}: {name}" for path in files for name in network_imports(path)] == []
