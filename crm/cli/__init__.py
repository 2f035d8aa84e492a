"""The `crm` command line: a thin click layer over the domain; each command's module loads only when it runs."""

from __future__ import annotations

import gc
import importlib
import sys

import click

from crm.errors import CrmError

# name -> "module:attribute". `crm due` imports crm.cli.followups and nothing else of the CLI, so the hot
# read commands start in the time Python, click and sqlite3 take (see README "Performance").
COMMANDS = {
    "me": "crm.cli.profile:me_command",
    "project": "crm.cli.profile:project_group",
    "contact": "crm.cli.contacts:contact_group",
    "hook": "crm.cli.contacts:hook_group",
    "log": "crm.cli.contacts:log_command",
    "search": "crm.cli.search:search_command",
    "due": "crm.cli.followups:due_command",
    "done": "crm.cli.followups:done_command",
    "snooze": "crm.cli.followups:snooze_command",
    "export": "crm.cli.exports:export_command",
    "restore": "crm.cli.exports:restore_command",
    "import": "crm.cli.imports:import_group",
    "check": "crm.cli.outreach:check_command",
    "draft": "crm.cli.outreach:draft_command",
    "template": "crm.cli.outreach:template_group",
    "demo": "crm.cli.admin:demo_command",
    "backup": "crm.cli.admin:backup_command",
    "db": "crm.cli.admin:db_group",
    "completion": "crm.cli.admin:completion_command",
    "stats": "crm.cli.insights:stats_command",
    "companies": "crm.cli.insights:companies_command",
    "target": "crm.cli.insights:target_group",
    "prep": "crm.cli.insights:prep_command",
    "club": "crm.cli.club:club_group",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (click's documented lazy-loading pattern)."""

    def __init__(self, *args, lazy_commands: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands:
            module, attribute = self.lazy_commands[cmd_name].split(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    invoke_without_command=True,
    # color=True: click.echo keeps escape sequences even when piped; main()'s InertWriter shows every one that is
    # not crm's own colour as a visible escape (click would strip some, silently, and pass OSC and \r).
    context_settings={"help_option_names": ["-h", "--help"], "color": True},
)
@click.option(
    "--db",
    metavar="PATH",
    default=None,
    help="Database file or postgresql:// URL (default: $CRM_DB, else the user data dir).",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """A personal networking CRM: log coffee chats, draft first messages, see whose follow-up is due."""
    from crm.store.store import Store

    ctx.obj = Store.from_option(db)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        _home(ctx.obj)


def _home(store) -> None:
    """The app at a terminal; piped or redirected, this week's follow-ups (or how to start) as text."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        from crm.tui import run_tui

        gc.set_threshold(*PYTHON_GC_THRESHOLD)  # the app runs for hours: Python's own pace (see main)
        run_tui(store)
        return
    from crm.cli.followups import print_due
    from crm.contacts.reads import has_contacts

    if not has_contacts(store.reader):
        click.echo(
            "Your network is empty. Start with one of:\n"
            "  crm demo                      load fictional sample alumni to explore\n"
            "  crm contact add 'Maya Chen' --company Spotify --team Personalization\n"
            "  crm me --name 'Your Name' --school MIT --year junior --major 'Course 6'"
        )
        return
    print_due(store, window="week", days=None)


def _usage_line(error: click.ClickException) -> str:
    ctx = getattr(error, "ctx", None)
    where = ctx.command_path if ctx is not None else "crm"
    return f"{where}: {error.format_message()} (see `{where} --help`)"


# EX_TEMPFAIL (sysexits.h): the database was busy past the timeout; nothing was written and the same command,
# run again, will work. Not 2: busy is never bad input.
EXIT_BUSY = 75
# EX_IOERR (sysexits.h): the output could not be written (a full disk, a closed pipe) and nothing was saved.
EXIT_OUTPUT_LOST = 74


# A command lives for a fraction of a second and leaves little cyclic garbage: collecting the young generation every
# 50,000 allocations rather than every 700 spares it ~2% of its run (`crm draft`); a long import still collects.
PYTHON_GC_THRESHOLD = gc.get_threshold()
CLI_GC_THRESHOLD = (50_000, *PYTHON_GC_THRESHOLD[1:])


def run() -> None:
    """The `crm` program (and `python -m crm`): main(), then gc.freeze() on the way out, so the collections Python runs
    while it shuts down skip every object already alive. Measured: 11 -> 4 ms of exit on SQLite, 31 -> 7 ms with
    psycopg loaded. The objects are not lost: the process is ending, and their memory goes with it."""
    try:
        main()
    finally:
        gc.freeze()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI: user errors become one line on stderr and exit code 2, never a traceback; a busy database
    exits 75 (try again).

    Everything printed goes through crm.display.InertWriter: a stored control character (an escape sequence in
    a name, a carriage return in a note) is shown as a visible escape, at a terminal and piped alike.
    """
    from crm.display import InertWriter
    from crm.store.store import Store

    out, err = sys.stdout, sys.stderr
    stdout = InertWriter(out) if out is not None else None  # None: started with stdout closed (`crm due >&-`)
    sys.stdout, sys.stderr = stdout, (InertWriter(err) if err is not None else None)
    commits = Store.commits
    restore = True
    threshold = gc.get_threshold()
    gc.set_threshold(*CLI_GC_THRESHOLD)
    try:
        _main(sys.argv[1:] if argv is None else argv)
    except SystemExit:
        _check_output(stdout, saved=Store.commits > commits)
        raise
    except BaseException:
        _check_output(stdout, saved=Store.commits > commits)
        restore = False  # the traceback Python prints next goes through the filter too
        raise
    finally:
        gc.set_threshold(*threshold)  # as it was: a test calling main() in process keeps its own pace
        if restore:
            sys.stdout, sys.stderr = out, err


def _check_output(stdout, *, saved: bool) -> None:
    """If writing stdout failed: one line (none for a reader that left early) and the exit code, not a traceback.

    A change already committed is said to be saved and exits 0: the command did what it was asked, and a script
    that retried on failure would make it twice. Otherwise 74 (EX_IOERR).
    """
    import errno

    failure = stdout.failure if stdout is not None else None
    if failure is None:
        return
    _discard_pending(stdout)
    reason = failure.strerror or type(failure).__name__
    if saved:
        _say(f"crm: saved, but the output could not be written ({reason})")
    elif failure.errno != errno.EPIPE:  # `crm due | head -1`: the reader had what it wanted
        _say(f"crm: the output could not be written ({reason})")
    sys.exit(0 if saved else EXIT_OUTPUT_LOST)


def _discard_pending(stdout) -> None:
    """Point stdout's file at /dev/null, so Python's flush at exit does not fail (and print) a second time."""
    import os

    try:
        fd = stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
    except (AttributeError, OSError, ValueError):  # not a file (a test's capture): nothing waits at exit
        return
    os.dup2(devnull, fd)
    os.close(devnull)


def _say(message: str) -> None:
    """One line on stderr. color=True: click would strip escape sequences from it when stderr is not a terminal
    (silently, and OSC or \\r not at all); the InertWriter shows every one as a visible escape instead."""
    from contextlib import suppress

    with suppress(OSError):  # stderr is gone too: the exit code says it
        click.echo(message, err=True, color=True)


def _main(args: list[str]) -> None:
    from crm.store.db import DatabaseBusy

    for position, arg in enumerate(args, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:  # Python hands over bytes that were not UTF-8 as lone surrogates
            shown = arg.encode("utf-8", "replace").decode("utf-8")
            _say(f"crm: argument {position} ({shown!r}) is not valid UTF-8 text: retype it")
            sys.exit(2)
    try:
        code = cli.main(args=args, prog_name="crm", standalone_mode=False)
    except DatabaseBusy as error:
        _say(f"crm: {error}")
        sys.exit(EXIT_BUSY)
    except CrmError as error:
        _say(f"crm: {error}")
        sys.exit(2)
    except click.ClickException as error:
        _say(_usage_line(error))
        sys.exit(error.exit_code)
    except click.Abort:
        _say("crm: aborted")
        sys.exit(1)
    except Exception as error:
        from crm.store.db import database_problem, is_database_error

        if not is_database_error(error):
            raise
        problem = database_problem(error)  # busy, read-only, full, corrupt: said as such
        _say(f"crm: {problem}")
        sys.exit(EXIT_BUSY if isinstance(problem, DatabaseBusy) else 2)
    sys.exit(code if isinstance(code, int) else 0)
