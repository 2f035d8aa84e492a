"""Stored text cannot drive the terminal (issue 11, point 4), and a lost stdout is one honest line (point 2).

Every control character in a name, company, hook or note (C0 but newline and tab, DEL, C1) reaches human output
as its visible JSON escape (ESC as the six characters \\u001b), piped and at a terminal; JSON gives back the exact
stored text; exports to '-' stay byte for byte. `crm log > /dev/full` says the interaction was saved.
"""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import subprocess
import sys

import pytest

from crm.display import RED, RESET, YELLOW, InertWriter, inert

PAYLOADS = {
    "clear the screen": "\x1b[2J",
    "window title (OSC 0)": "\x1b]0;pwned\x07",
    "write the clipboard (OSC 52)": "\x1b]52;c;ZXZpbA==\x07",
    "disguised link (OSC 8)": "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\",
    "hidden text": "\x1b[8mhidden",
    "overwrite the line above": "\x1b[1A\x1b[2K\rfake line",
    "backspaces": "ab\x08\x08",
    "C1 CSI and OSC": "\x9b2J\x9d0;t\x9c",
    "DEL": "x\x7fy",
}
EVERY = "".join(PAYLOADS.values())
# What each payload must look like on screen: visible escapes, never the control characters themselves.
SHOWN = {
    "\x1b[2J": "\\u001b[2J",
    "\x1b]0;pwned\x07": "\\u001b]0;pwned\\u0007",
    "\x1b]52;c;ZXZpbA==\x07": "\\u001b]52;c;ZXZpbA==\\u0007",
    "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\": (
        "\\u001b]8;;https://evil.example/\\u001b\\click me\\u001b]8;;\\u001b\\"
    ),
    "\x1b[8mhidden": "\\u001b[8mhidden",
    "\x1b[1A\x1b[2K\rfake line": "\\u001b[1A\\u001b[2K\\u000dfake line",
    "ab\x08\x08": "ab\\u0008\\u0008",
    "\x9b2J\x9d0;t\x9c": "\\u009b2J\\u009d0;t\\u009c",
    "x\x7fy": "x\\u007fy",
}
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

NAME = "Eve" + EVERY
COMPANY = "Acme" + EVERY
HOOK = "hook" + EVERY
NOTES = "coffee" + EVERY


def assert_inert(text: str) -> None:
    found = sorted({f"U+{ord(char):04X}" for char in CONTROL.findall(text)})
    assert not found, f"raw control characters reached the output: {found}"


@pytest.fixture
def hostile(cli, db_path):
    """Contact #1, whose name, company, hook and interaction notes hold every payload (stored exactly, past the
    whitespace tidying the commands do), with a thank-you due this week."""
    assert cli("contact", "add", "Eve Evil", "--company", "Acme").code == 0
    assert cli("hook", "add", "1", "a hook").code == 0
    assert cli("log", "1", "--kind", "chat", "--date", "2026-11-24", "--notes", "coffee chat").code == 0
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE contact SET name = ?, company = ?", (NAME, COMPANY))
        conn.execute("UPDATE hook SET text = ?", (HOOK,))
        conn.execute("UPDATE interaction SET notes = ?", (NOTES,))
    conn.close()
    return 1


def test_inert_shows_each_control_character_as_its_json_escape():
    for payload, shown in SHOWN.items():
        assert inert(payload) == shown
    assert inert("tab\tand\nnewline, café, 北京, emoji 🎉") == "tab\tand\nnewline, café, 北京, emoji 🎉"
    every_control = "".join(map(chr, [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]))
    shown = inert(every_control)
    assert_inert(shown)
    assert json.loads(f'"{shown}"') == every_control  # the escape is JSON's: a parser reads back the character


def test_at_a_terminal_only_crms_own_colours_pass():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    out = InertWriter(screen)
    out.write(f"{RED}words{RESET} {YELLOW}match{RESET} {EVERY} \x1b[1;31 \x1b[31m \x1b[0;8m")
    assert screen.getvalue() == (
        f"{RED}words{RESET} {YELLOW}match{RESET} {inert(EVERY)} \\u001b[1;31 \\u001b[31m \\u001b[0;8m"
    )
    piped = io.StringIO()
    InertWriter(piped).write(f"{RED}words{RESET}")
    assert piped.getvalue() == "\\u001b[1;31mwords\\u001b[0m"  # piped, crm writes no colour: nothing passes


@pytest.mark.parametrize(
    "args",
    [
        ("contact", "show", "1"),
        ("contact", "list"),
        ("contact", "list", "--search", "eve"),
        ("due",),
        ("due", "--week"),
        ("search", "coffee"),
        ("prep", "1"),
        ("companies",),
    ],
    ids=" ".join,
)
def test_human_output_shows_every_payload_as_text(cli, hostile, args):
    result = cli(*args)
    assert result.code == 0, result.err
    assert_inert(result.out + result.err)
    assert "\\u001b" in result.out
    if args[0] == "contact" and args[1] == "show":  # the whole record, untrimmed: every payload, each shown
        for shown in SHOWN.values():
            assert shown in result.out


def test_log_echo_shows_the_name_as_text(cli, hostile):
    result = cli("log", "1", "--kind", "message", "--notes", NOTES)
    assert result.code == 0, result.err
    assert_inert(result.out + result.err)
    assert f"Logged message with {inert(NAME)}" in result.out


def test_error_messages_quote_input_and_stored_names_as_text(cli, hostile, db_path):
    assert cli("contact", "add", "Eve Twin", "--company", "Acme").code == 0
    ambiguous = cli("contact", "show", "eve")  # the error lists both contacts by their stored names
    assert ambiguous.code == 2
    assert_inert(ambiguous.err)
    assert f"#1 {inert(NAME)} ({inert(COMPANY)})" in ambiguous.err
    unknown_email = cli("contact", "show", "eve@example.com" + EVERY)  # quoted as typed
    assert unknown_email.code == 2
    assert_inert(unknown_email.err)
    assert f"no contact has the email eve@example.com{inert(EVERY)}: " in unknown_email.err


@pytest.mark.parametrize(
    "args",
    [
        ("contact", "show", "1", "--json"),
        ("contact", "list", "--json"),
        ("due", "--json"),
        ("search", "coffee", "--json"),
    ],
    ids=" ".join,
)
def test_json_gives_back_the_exact_stored_text(cli, hostile, args):
    result = cli(*args)
    assert result.code == 0, result.err
    assert_inert(result.out)  # DEL and C1 come out as \u007f-style escapes too
    text = json.dumps(json.loads(result.out), ensure_ascii=False)
    assert json.dumps(NAME, ensure_ascii=False) in text
    if args[0] != "due":
        assert json.dumps(COMPANY, ensure_ascii=False) in text
    if args[:2] == ("contact", "show"):
        record = json.loads(result.out)
        assert record["name"] == NAME and record["company"] == COMPANY
        assert record["hooks"][0]["text"] == HOOK and record["interactions"][0]["notes"] == NOTES


def _crm(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """`crm ARGS` as its own process (stdout a real pipe, file or device), from the test's own folder."""
    cwd = os.environ["CRM_DB"].rsplit("/", 1)[0]
    return subprocess.run([sys.executable, "-m", "crm", *args], env=os.environ.copy(), cwd=cwd, **kwargs)


@pytest.mark.parametrize("fmt", ["csv", "json", "ics"])
def test_exports_to_stdout_stay_byte_exact(hostile, tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    assert _crm("export", fmt, str(path), capture_output=True).returncode == 0
    piped = _crm("export", fmt, "-", capture_output=True)
    assert piped.returncode == 0, piped.stderr
    assert _timeless(piped.stdout) == _timeless(path.read_bytes())
    if fmt != "ics":  # the ics export has only the follow-up, not the payloads
        assert b"\x1b]52;c;" in piped.stdout or b"\\u001b]52;c;" in piped.stdout
    if fmt == "csv":
        assert NAME.encode() in piped.stdout  # the spreadsheet gets the stored text itself


def _timeless(data: bytes) -> bytes:
    """The export without the moment it was made (the two runs may straddle a second)."""
    return re.sub(rb'"exported_at": "[^"]*"|DTSTAMP:[0-9TZ]+', b"", data)


def test_a_terminal_sees_text_and_crms_own_colour(hostile, db_path):
    """At a real terminal (a pty): the payloads are shown as text, and a search match keeps crm's yellow."""
    pty = pytest.importorskip("pty")
    primary, secondary = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "crm", "search", "coffee"],
            stdout=secondary, stderr=secondary, env=os.environ.copy(), cwd=db_path.parent,
        )  # fmt: skip
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=60) == 0
    finally:
        os.close(primary)
    screen = b"".join(chunks).decode().replace("\r\n", "\n")  # the terminal's own newline translation
    assert YELLOW in screen and RESET in screen
    assert_inert(screen.replace(YELLOW, "").replace(RESET, ""))
    assert inert(NAME) in screen


# -- a stdout that cannot be written (issue 11, point 2) ------------------------------------------------------


@pytest.fixture
def full_disk():
    if not os.path.exists("/dev/full"):
        pytest.skip("/dev/full is not on this system")
    with open("/dev/full", "wb") as device:
        yield device


def _interactions(db_path) -> int:
    with sqlite3.connect(db_path) as conn:
        count = conn.execute("SELECT count(*) FROM interaction").fetchone()[0]
    conn.close()
    return count


def test_log_to_a_full_disk_says_it_was_saved(hostile, db_path, full_disk):
    before = _interactions(db_path)
    result = _crm("log", "1", "--kind", "message", stdout=full_disk, stderr=subprocess.PIPE, text=True)
    assert _interactions(db_path) == before + 1
    assert result.returncode == 0  # saved: a script retrying on failure would log it twice
    assert result.stderr == "crm: saved, but the output could not be written (No space left on device)\n"


def test_a_read_to_a_full_disk_is_one_line_exit_74(hostile, full_disk):
    result = _crm("contact", "show", "1", stdout=full_disk, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 74
    assert result.stderr == "crm: the output could not be written (No space left on device)\n"


def test_an_export_to_a_full_disk_is_one_line_exit_74(hostile, full_disk):
    result = _crm("export", "csv", "-", stdout=full_disk, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 74
    assert result.stderr == "crm: the output could not be written (No space left on device)\n"


def test_a_reader_that_left_early_gets_no_traceback(hostile):
    read, write = os.pipe()
    os.close(read)  # like `crm contact list | head -0`: every write is EPIPE
    try:
        result = _crm("contact", "list", stdout=write, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write)
    assert result.returncode == 74
    assert result.stderr == ""  # the reader had what it wanted: nothing to say
