"""`crm` with no command opens the TUI at a terminal, and prints this week's list when piped."""

import contextlib
import os
import pty
import select
import subprocess
import sys
import time


def _read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def _crm_on_a_terminal(db: str) -> tuple[int, int]:
    env = {**os.environ, "CRM_DB": db, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: crm on a pseudo-terminal
        os.execvpe(sys.executable, [sys.executable, "-m", "crm"], env)
    return pid, fd


def test_crm_alone_opens_the_tui_at_a_terminal_and_q_quits(cli, db_url):
    cli("demo")
    pid, fd = _crm_on_a_terminal(db_url)
    try:
        screen = _read_until(fd, b"Overdue", timeout=30)
        assert b"Overdue" in screen, screen[-500:]
        os.write(fd, b"q")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            _read_until(fd, b"\x00", timeout=0.2)  # keep draining so the app can write and exit
        else:
            raise AssertionError("crm did not quit on q")
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, 9)
        os.close(fd)


def test_a_server_that_refuses_is_one_line_before_the_screen_is_taken(pg_cluster):
    """A database server that refuses reaches the terminal as the CLI's one-line error, exit 2: the app never starts
    (no alternate screen)."""
    pid, fd = _crm_on_a_terminal(pg_cluster.url("no_such_database"))
    try:
        seen = _read_until(fd, b"\x00", timeout=30)  # until the child closes the terminal
        _, status = os.waitpid(pid, 0)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, 9)
        os.close(fd)
    text = seen.decode(errors="replace").strip()
    assert os.waitstatus_to_exitcode(status) == 2, text
    assert text.startswith("crm: cannot reach postgresql://") and "no_such_database" in text, text
    assert len(text.splitlines()) == 1 and "Traceback" not in text, text
    assert b"\x1b[?1049h" not in seen  # Textual's alternate screen: the app never started


def test_crm_alone_piped_prints_this_week(cli, db_path):
    cli("demo")
    out = subprocess.run(
        [sys.executable, "-m", "crm"], env={**os.environ, "CRM_DB": str(db_path)}, capture_output=True, text=True
    )
    assert out.returncode == 0
    assert out.stdout.startswith("Overdue:")

