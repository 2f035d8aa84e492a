"""Plain-text tables and JSON for the CLI (no Rich: start-up stays lean)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from crm.display import RED, RESET, cut_to_width, inert, pad_to_width, text_width


def to_json(data, *, pretty: bool | None = None) -> str:
    """Indented for a person at a terminal; compact (C-encoder fast) when piped to a program.

    json.dumps escapes C0 controls; crm.cli.main's stream writes DEL and C1 as JSON escapes (`\\u007f`), so a
    parser reads back exactly the stored text and none of it reaches the terminal raw.
    """
    if pretty is None:
        pretty = sys.stdout.isatty()
    return json.dumps(data, indent=2 if pretty else None, ensure_ascii=False, default=str)


def table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], *, max_width: int | None = None, indent: str = ""
) -> str:
    """Left-aligned columns (no header line when `headers` are all empty); the widest column is trimmed to fit."""
    # Shown as they print (crm.display), so a control character in a name cannot skew the columns.
    cells = [[("" if v is None else inert(str(v))) for v in row] for row in rows]
    # Widths in terminal columns, not characters: "陈静" takes four, so CJK names line up with the rest.
    lines = [list(headers)] if any(headers) else []
    lines += cells
    columns = [[text_width(v) for v in line] for line in lines]  # each cell measured once
    widths = [max([text_width(h)] + [c[i] for c in columns]) for i, h in enumerate(headers)]
    import shutil  # only for human tables; --json paths skip it

    limit = (max_width or shutil.get_terminal_size((120, 24)).columns) - len(indent)
    while sum(widths) + 2 * (len(widths) - 1) > limit and max(widths) > 12:
        widths[widths.index(max(widths))] -= 1

    def fit(text: str, used: int, width: int) -> str:
        return text + " " * (width - used) if used <= width else pad_to_width(cut_to_width(text, width), width)

    return "\n".join(
        indent + "  ".join(map(fit, line, used, widths)).rstrip() for line, used in zip(lines, columns, strict=True)
    )


def format_check(text: str, result, *, color: bool | None = None) -> str:
    """A one-line verdict, then each problem with its offending words highlighted in context."""
    if color is None:
        color = sys.stdout.isatty()
    words = f"{result.words} / {result.max_words} words"
    if result.ok:
        lines = [f"OK: {words}, every check passes"]
    else:
        count = len(result.problems)
        lines = [f"FAIL: {count} problem{'s' if count != 1 else ''}, {words}"]
    for problem in result.problems:
        lines.append(f"  {problem.check}: {problem.message}")
        lines.append(f"    {_in_context(text, problem.start, problem.end, color)}")
    for advice in result.advice:
        lines.append(f"  advice ({advice.kind}): {advice.message}")
    return "\n".join(lines)


def _in_context(text: str, start: int, end: int, color: bool, *, width: int = 30) -> str:
    before = text[max(0, start - width) : start]
    span = text[start:end]
    if len(span) > 90:
        span = span[:60] + "…" + span[-25:]
    after = text[end : end + width]
    mark = f"{RED}{span}{RESET}" if color else f"»{span}«"
    line = ("…" if start > width else "") + before + mark + after + ("…" if end + width < len(text) else "")
    return " ".join(line.split())
