"""Message templates: finding them (user folder over built-ins), reading their front matter, rendering strictly.

A template is untrusted code: it renders in a sandbox that refuses Python internals and bounds what a template
can cost. Time, loop rounds and calls, the size of every string, list and number it builds, and the text it
writes are all limited, so a hostile or clumsy template ends in a one-line CrmError instead of a hang, a
traceback or gigabytes of memory (issue 11, points 6 and 12). `{% include %}`, `{% import %}` and
`{% extends %}` reach templates by name, in the user's folder and the built-ins only.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import time
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from crm.errors import CrmError
from crm.outreach.text import DEFAULT_MAX_WORDS
from crm.store.paths import config_dir, resource_dir

KINDS = ("first-message", "nudge", "reply", "thank-you", "referral-thanks", "intro-thanks", "keep-in-touch")
_FRONT_MATTER = re.compile(r"\A\s*\{#(.*?)#\}\s*", re.DOTALL)
_KEY_VALUE = re.compile(r"^\s*([a-z_]+)\s*:\s*(.*?)\s*$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
BUILT_IN_PREFIX = "built-in/"  # `{% extends 'built-in/nudge' %}`: the built-in, even when a user template shadows it

# What one render may cost. A message is a few hundred characters; these are orders of magnitude above any real
# template and far below what would hurt (the app's draft screen renders on every change).
MAX_TEMPLATE_CHARS = 30_000  # a template file (a message template is a page at most; compiling costs ~15 ms per 1,000)
MAX_TEXT_CHARS = 100_000  # the rendered message, and any one string a template builds
MAX_ITEMS = 100_000  # any one list or tuple a template builds
MAX_RANGE = 10_000  # numbers range() gives
MAX_INT_BITS = 4_096  # any one whole number a template computes (about 1,200 digits)
MAX_STEPS = 200_000  # loop rounds, calls and filters in one render
MAX_WRITTEN = 2_000_000  # characters written in one render, counting what macros and {% set %} blocks buffer
RENDER_SECONDS = 2.0  # wall-clock bound on one render


# A NamedTuple rather than a frozen dataclass: far cheaper to define, and `crm draft` starts by importing this.
class Template(NamedTuple):
    name: str
    path: Path
    source: str  # "built-in" or "user"
    body: str
    description: str = ""
    kind: str | None = None
    max_words: int = DEFAULT_MAX_WORDS
    question: str | None = None
    questions: int = 1  # how many questions the message asks: 1, or 0 for a thank-you that asks nothing more


def user_template_dir() -> Path:
    """$CRM_TEMPLATES, else <config dir>/templates."""
    env = os.environ.get("CRM_TEMPLATES")
    return Path(env).expanduser() if env else config_dir() / "templates"


def builtin_template_dir() -> Path:
    return resource_dir("templates")


def _read(path: Path, source: str) -> Template:
    too_large = f"template {path} is too large to be a message (at most {MAX_TEMPLATE_CHARS:,} characters)"
    try:
        if path.stat().st_size > 4 * MAX_TEMPLATE_CHARS:
            raise CrmError(too_large)
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CrmError(f"template {path} cannot be read ({exc}): fix or remove it") from None
    if len(text) > MAX_TEMPLATE_CHARS:
        raise CrmError(too_large)
    meta: dict[str, str] = {}
    body = text
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).splitlines():
            pair = _KEY_VALUE.match(line)
            if pair:
                meta[pair.group(1)] = pair.group(2)
        # Keep the comment's lines as blank lines so Jinja's line numbers still match the file.
        body = "\n" * text[: match.end()].count("\n") + text[match.end() :]
    kind = meta.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise CrmError(f"{path}: kind {kind!r} is not one of {', '.join(KINDS)}{_did_you_mean(kind, KINDS)}")
    try:
        max_words = int(meta.get("max_words", DEFAULT_MAX_WORDS))
        if max_words < 1:
            raise ValueError
    except ValueError:
        raise CrmError(f"{path}: max_words must be a whole number above 0, not {meta.get('max_words')!r}") from None
    questions = meta.get("questions", "1").strip()
    if questions not in ("0", "1"):
        raise CrmError(f"{path}: questions must be 1 (one question for them) or 0 (none), not {questions!r}")
    return Template(
        name=path.name[: -len(".j2")],
        path=path,
        source=source,
        body=body,
        description=meta.get("description", ""),
        kind=kind,
        max_words=max_words,
        question=meta.get("question") or None,
        questions=int(questions),
    )


def _files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {p.name[: -len(".j2")]: p for p in sorted(folder.glob("*.j2")) if p.is_file()}


class TemplateProblem(NamedTuple):
    """A template file that cannot be used (bad front matter, unreadable, too large): left out of every list."""

    name: str
    path: Path
    reason: str  # the one-line CrmError, naming the file


def survey_templates() -> tuple[list[Template], list[TemplateProblem]]:
    """Every usable template by name (a user template replaces the built-in of the same name), and the files that
    cannot be used. One bad file of the user's never hides the others: it is listed as a problem instead."""
    found = {name: (path, "built-in") for name, path in _files(builtin_template_dir()).items()}
    found.update({name: (path, "user") for name, path in _files(user_template_dir()).items()})
    good: list[Template] = []
    bad: list[TemplateProblem] = []
    for name, (path, source) in sorted(found.items()):
        try:
            good.append(_read(path, source))
        except CrmError as err:
            bad.append(TemplateProblem(name, path, str(err)))
    return good, bad


def list_templates() -> list[Template]:
    """Every usable template by name (see survey_templates for the files left out, and why)."""
    return survey_templates()[0]


def _suggest(word: str, choices) -> str:
    """'did you mean X? ' for a close misspelling of one of `choices`, else ''."""
    hint = _did_you_mean(word, choices)
    return hint.strip(" ()") + " " if hint else ""


def _did_you_mean(word: str, choices) -> str:
    """' (did you mean X?)' for a close misspelling of one of `choices`, else ''."""
    from difflib import get_close_matches

    close = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _locate(name: str) -> tuple[Path, str] | str:
    """(path, source) of the template called `name` ('nudge', 'nudge.j2', 'built-in/nudge'), else why not."""
    text = (name or "").strip()
    folders = [(user_template_dir(), "user"), (builtin_template_dir(), "built-in")]
    if text.startswith(BUILT_IN_PREFIX):
        text, folders = text[len(BUILT_IN_PREFIX) :], folders[1:]
    clean = text.removesuffix(".j2")
    if not _NAME.match(clean):
        return f"{name!r} is not a template name: see `crm template list`"
    for folder, source in folders:
        path = folder / f"{clean}.j2"
        if path.is_file():
            return path, source
    names = [t.name for t in list_templates()]
    if not names:
        return f"no template named {clean!r}, and no usable template at all: see `crm template list`"
    return f"no template named {clean!r}{_did_you_mean(clean, names)}: choose one of {', '.join(names)}"


def load_template(name: str) -> Template:
    found = _locate(name)
    if isinstance(found, str):
        raise CrmError(found)
    return _read(*found)


def _short_date(value) -> str:
    if isinstance(value, dt.date):
        return f"{value:%b} {value.day}"
    return str(value)


def _clause(value) -> str:
    """Text to continue a sentence with: no trailing full stop or spaces (the template adds its own)."""
    return str(value).strip().rstrip(".;,! ")


def missing(hint: str):
    """A value that, when a template uses it, fails with `hint` (what is missing and how to add it)."""
    from jinja2 import StrictUndefined

    return StrictUndefined(hint=hint)


def render(template: Template, context: dict) -> str:
    """Render strictly and within the limits; every failure is a one-line CrmError naming the template."""
    from jinja2 import TemplateSyntaxError

    if len(template.body) > MAX_TEMPLATE_CHARS:
        raise CrmError(f"template {template.name} is too large to be a message (at most {MAX_TEMPLATE_CHARS:,} chars)")
    env = _environment()
    budget = _Budget(time.monotonic() + RENDER_SECONDS)
    token = _BUDGET.set(budget)
    try:
        try:
            code = _compiled(template.body, template.name, str(template.path))
        except TemplateSyntaxError as exc:
            raise CrmError(f"{template.path}:{exc.lineno}: template syntax error: {_one_line(exc.message)}") from None
        except (RecursionError, MemoryError, ValueError, OverflowError):
            raise CrmError(f"template {template.name} nests too deeply or is too large to compile") from None
        compiled = env.template_class.from_code(env, code, env.make_globals(None))
        parts: list[str] = []
        written = 0
        for chunk in compiled.generate(**context):
            written += len(chunk)
            if written > MAX_TEXT_CHARS:
                raise _Limit(f"its text grew past {MAX_TEXT_CHARS:,} characters")
            budget.tick()
            parts.append(chunk)
        text = "".join(parts)
    except CrmError:
        raise
    except Exception as exc:  # noqa: BLE001 - a template is untrusted code: whatever it raises is its own fault
        raise CrmError(_failure(template, exc, context)) from None
    finally:
        _BUDGET.reset(token)
    return tidy(text)


def _one_line(text: object, limit: int = 240) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _where(exc: BaseException) -> str:
    """' (file:line)' of the innermost template frame in the traceback, when there is one."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return f" ({found})" if found else ""


def _line(template: Template, exc: BaseException) -> str:
    """', line 3' (in the template itself) or ', other.j2 line 3' (in one it includes), when the traceback says."""
    where = _where(exc)[2:-1]
    if not where:
        return ""
    filename, _, line = where.rpartition(":")
    return f", line {line}" if filename == str(template.path) else f", {Path(filename).name} line {line}"


def _unknown(exc: BaseException, context: dict) -> str | None:
    """A misspelled name or field (`contakt`, `contact.frist_name`) in words, with the closest names a template
    can use (SPEC "Templates": a missing field names it and says how to fix it); None for any other undefined."""
    from jinja2.utils import missing as nothing

    found = getattr(exc, "crm_undefined", None)
    if found is None:
        return None
    obj, name = found
    if not isinstance(name, str):
        return None
    if obj is nothing:
        names = sorted(key for key in context if isinstance(key, str))
        if not names:
            return None
        return f"{name!r} is undefined ({_suggest(name, names)}a template can use: {', '.join(names)})"
    if not isinstance(obj, dict):
        return None
    owner = next((key for key, value in context.items() if value is obj), None)
    fields = sorted(key for key in obj if isinstance(key, str))
    whose = f"{owner} has" if owner else "this value has"
    return f"{whose} no field {name!r} ({_suggest(name, fields)}fields: {', '.join(fields) or 'none'})"


def _failure(template: Template, exc: Exception, context: dict | None = None) -> str:
    """The one line a failed render is reported as."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateError

    name = f"template {template.name}"
    if isinstance(exc, _Limit):
        return f"{name} was stopped: {exc}{_where(exc)}; simplify it"
    if isinstance(exc, SecurityError):
        return f"{name} was refused: it reached for Python internals ({_one_line(exc)})"
    if isinstance(exc, UndefinedError):
        unknown = _unknown(exc, context or {})
        if unknown is not None:
            return f"{name}{_line(template, exc)}: {_one_line(unknown, 400)}"
        return f"{name}: {_one_line(exc.message)}"
    if isinstance(exc, TemplateSyntaxError):  # in a template it includes, imports or extends
        return f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {_one_line(exc.message)}"
    if isinstance(exc, TemplateNotFound):
        return f"{name}: include, import or extends refused: {_one_line(exc.message)}"
    if isinstance(exc, RecursionError):
        return f"{name} nests too deeply: a macro, include or extends that calls itself without end?"
    if isinstance(exc, MemoryError):
        return f"{name} was stopped: it needed too much memory; simplify it"
    if isinstance(exc, OverflowError):
        return f"{name} was stopped: a number grew too large{_where(exc)}"
    if isinstance(exc, TemplateError):
        return f"{name} failed: {_one_line(exc)}{_where(exc)}"
    return f"{name} failed: {type(exc).__name__}: {_one_line(exc)}{_where(exc)}"


# -- the limits ---------------------------------------------------------------------------------------------------


class _Limit(Exception):
    """A template went past one of the render limits; the message says which. Not a ValueError or TypeError, so
    no filter's own error handling (`|int`'s default, say) can swallow it."""


class _Budget:
    """What one render has spent: loop rounds and calls, characters written, and the clock."""

    __slots__ = ("deadline", "steps", "written")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.steps = 0
        self.written = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise _Limit(f"it ran longer than {RENDER_SECONDS:g} seconds")

    def step(self, chars: int = 0) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _Limit(f"it ran more than {MAX_STEPS:,} loop rounds and calls")
        if chars:
            self.written += chars
            if self.written > MAX_WRITTEN:
                raise _Limit(f"it wrote more than {MAX_WRITTEN:,} characters")
        self.tick()


# The render in progress (per thread and task); None while a template compiles (constant folding).
_BUDGET: ContextVar[_Budget | None] = ContextVar("crm_template_budget", default=None)


def _step(chars: int = 0) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.step(chars)


def _tick() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.tick()


def _too_long(what: str, size: int, limit: int = MAX_TEXT_CHARS, unit: str = "characters") -> None:
    if size > limit:
        raise _Limit(f"{what} would be longer than {limit:,} {unit}")


def _size(value, *, strict: bool = False, limit: int = MAX_TEXT_CHARS) -> int:
    """About how many characters `str(value)` has; _Limit once past `limit` (walking at most that many items).

    `strict`: the value is about to become text, so an undefined value inside a list or dict fails as it would
    on its own (instead of printing as 'Undefined').
    """
    if isinstance(value, str):
        _too_long("a text", len(value), limit)
        return len(value)
    from jinja2.runtime import StrictUndefined
    from jinja2.utils import Namespace

    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) + 4
        elif isinstance(item, (bytes, bytearray)):
            total += 4 * len(item) + 4
        elif isinstance(item, bool) or item is None:
            total += 6
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 2
        elif isinstance(item, float):
            total += 26
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            _too_long("a value", total, limit)
            for key, val in item.items():
                stack += (key, val)
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            _too_long("a value", total, limit)
            stack.extend(item)
        elif isinstance(item, StrictUndefined):
            if strict:  # what str() or printing it would do; a plain Undefined (`x if y`, no else) is ''
                item._fail_with_undefined_error()
        elif isinstance(item, Namespace):
            total += 14
            stack.append(item._Namespace__attrs)
        else:
            total += 80
        _too_long("a value", total, limit)
    return total - 4 if isinstance(value, (bytes, bytearray)) else total


def _check_int(value, what: str = "a number argument") -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT_CHARS:
        raise _Limit(f"{what} is above {MAX_TEXT_CHARS:,}")


def _check_args(args, kwargs) -> None:
    for arg in (*args, *kwargs.values()):
        _check_int(arg)
        _size(arg)


def _check_result(result) -> None:
    if isinstance(result, (str, bytes, bytearray, list, tuple, dict, set)):
        _size(result)


_SPEC_NUMBER = re.compile(r"\d+")
_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.)", re.DOTALL)


def _check_number_in_format(digits: str) -> int:
    if len(digits) > 6 or int(digits) > MAX_TEXT_CHARS:
        raise _Limit(f"a format width or precision is above {MAX_TEXT_CHARS:,}")
    return int(digits)


def _check_printf(fmt, values) -> None:
    """`fmt % values` (the % operator, the |format filter): widths bounded, total size bounded."""
    text = str(fmt)
    total = len(text)
    for match in _PRINTF.finditer(text):
        for number in match.group(1, 2):
            if number == "*":
                raise _Limit("a '*' width in a % format is not allowed")
            if number:
                total += _check_number_in_format(number)
    items = values.values() if isinstance(values, dict) else values if isinstance(values, tuple) else (values,)
    for item in items:
        total += _size(item, strict=True)
        _too_long("a formatted text", total)


def _check_replace(s, old, new, count=None, *_) -> None:
    text, old, new = str(s), str(old), str(new)
    found = len(text) + 1 if old == "" else text.count(old)
    if count is not None and isinstance(count, int) and 0 <= count < found:
        found = count
    _too_long("the replaced text", len(text) + found * max(0, len(new) - len(old)))


def _check_join(items, separator="", *_, **__) -> None:
    sizes = [_size(item, strict=True) for item in items]
    _too_long("the joined text", sum(sizes) + len(str(separator)) * max(0, len(sizes) - 1))


def _check_indent(s, width=4, *_, **__) -> None:
    text = str(s)
    step = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
    _too_long("the indented text", len(text) + (text.count("\n") + 1) * max(0, step))


def _check_wordwrap(s, width=79, break_long_words=True, wrapstring=None, *_, **__) -> None:
    text = str(s)
    lines = len(text) // max(1, width if isinstance(width, int) else 1) + text.count(" ") + text.count("\n") + 1
    _too_long("the wrapped text", len(text) + lines * len(str(wrapstring or "\n")))


def _check_tojson(value, indent=None, *_) -> None:
    if isinstance(indent, int) and indent > 16:
        raise _Limit("tojson's indent is above 16")


def _check_format_filter(value, *args, **kwargs) -> None:
    _check_printf(value, kwargs or args)


_FILTER_CHECKS = {
    "replace": _check_replace,
    "indent": _check_indent,
    "wordwrap": _check_wordwrap,
    "tojson": _check_tojson,
    "format": _check_format_filter,
}
# HTML filters, useless in a message and slow on hostile text; lipsum writes pages of filler on demand.
_DROPPED_FILTERS = ("urlize", "striptags", "xmlattr")
_DROPPED_GLOBALS = ("lipsum",)


def _safe_range(*args):
    for arg in args:
        if not isinstance(arg, int):
            raise TypeError(f"range() takes whole numbers, not {type(arg).__name__}")
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise _Limit(f"range() gives at most {MAX_RANGE:,} numbers")
    return numbers


def _check_str_method(receiver, name: str, args, kwargs) -> None:
    """The str (or bytes) methods that can turn a small text into a huge one."""
    if name == "replace" and len(args) >= 2:
        _check_replace(receiver, *args[:3])
    elif name == "join" and args:
        _check_join(args[0], receiver)
    elif name == "expandtabs":
        size = (args or list(kwargs.values()) or [8])[0]
        tab = "\t" if isinstance(receiver, str) else b"\t"
        if isinstance(size, int):
            _too_long("the expanded text", len(receiver) + receiver.count(tab) * size)
    elif name in ("translate", "maketrans"):
        raise _Limit(f"{name}() is not available in templates: use replace()")


_SEQUENCES = (str, bytes, list, tuple)


def _binop(operator: str, left, right) -> None:
    """Refuse a binary operation whose result would be too large, before it is computed."""
    if operator == "%":
        if isinstance(left, str):
            _check_printf(left, right)
    elif operator == "+":
        if isinstance(left, (str, bytes)) and isinstance(right, (str, bytes)):
            _too_long("a text", len(left) + len(right))
        elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
            _too_long("a list", len(left) + len(right), MAX_ITEMS, "items")
    elif operator == "*":
        if isinstance(left, _SEQUENCES) or isinstance(right, _SEQUENCES):
            seq, times = (left, right) if isinstance(left, _SEQUENCES) else (right, left)
            if isinstance(times, int) and times > 0:
                if isinstance(seq, (str, bytes)):
                    _too_long("a repeated text", len(seq) * times)
                else:
                    _too_long("a repeated list", len(seq) * times, MAX_ITEMS, "items")
        elif isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise _Limit(f"a number would have more than {MAX_INT_BITS:,} bits")
    elif (
        operator == "**"
        and isinstance(left, int)
        and isinstance(right, int)
        and right > 0
        and abs(left) > 1
        and math.log2(abs(left)) * right > MAX_INT_BITS
    ):
        raise _Limit(f"a number would have more than {MAX_INT_BITS:,} bits")


def _undefined_error(obj, name, message: str):
    """jinja's UndefinedError, carrying what was asked (`name`) of what (`obj`, or jinja's `missing` for a name)."""
    from jinja2 import UndefinedError

    exc = UndefinedError(message)
    exc.crm_undefined = (obj, name)
    return exc


@lru_cache(maxsize=64)
def _compiled(body: str, name: str, filename: str):
    """The template's compiled code (the app's draft screen renders the same template on every change)."""
    return _environment().compile(body, name, filename)


@lru_cache(maxsize=1)
def _environment():
    """The one bounded sandbox: built on the first render (jinja2 loads only when a template is rendered)."""
    import functools
    import types

    from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound, UndefinedError, nodes
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter
    from jinja2.utils import _PassArg
    from jinja2.utils import missing as undefined_nothing
    from jinja2.visitor import NodeTransformer

    class BoundedFormatter(SandboxedFormatter):
        """str.format in templates: Python internals refused (the sandbox's), widths and total size bounded."""

        def __init__(self, env) -> None:
            super().__init__(env)
            self.written = 0

        def format_field(self, value, format_spec: str):
            for digits in _SPEC_NUMBER.findall(format_spec):
                _check_number_in_format(digits)
            _size(value, strict=True)
            text = super().format_field(value, format_spec)
            self.written += len(text)
            _too_long("a formatted text", self.written)
            return text

        def convert_field(self, value, conversion):
            _size(value, strict=True)
            return super().convert_field(value, conversion)

    class Loader(BaseLoader):
        """`{% include %}`, `{% import %}`, `{% extends %}`: by name, from the user's folder and the built-ins."""

        def __init__(self) -> None:
            self.sizes: dict[str, int] = {}

        def get_source(self, environment, name: str):
            found = _locate(name)
            if isinstance(found, str):
                raise TemplateNotFound(name, found)
            path = found[0]
            body = _read(*found).body
            # the front matter was kept as blank lines (so line numbers match the file): here, where they would be
            # written into the including text, they become an empty comment of the same lines
            lead = len(body) - len(body.lstrip("\n"))
            if lead:
                body = "{#" + "\n" * lead + "#}" + body[lead:]
            self.sizes[name] = len(body)
            mtime = path.stat().st_mtime_ns

            def uptodate() -> bool:
                try:
                    return _locate(name) == found and path.stat().st_mtime_ns == mtime
                except OSError:
                    return False

            return body, str(path), uptodate

    class Guard(NodeTransformer):
        """Rewrites a parsed template so every loop round, macro call and `~` goes through the budget."""

        @staticmethod
        def _call(hook: str, args: list, lineno: int):
            call = nodes.Call(nodes.EnvironmentAttribute(hook), args, [], None, None)
            return call.set_lineno(lineno)

        def _charge(self, body: list, lineno: int):
            # what a body writes each time it runs, before it runs: buffered output ({% set %} blocks, macros)
            # never reaches the output's own bound, so its literal text is charged here
            chars = sum(len(data.data) for item in body for data in item.find_all(nodes.TemplateData))
            body.insert(0, nodes.ExprStmt(self._call("crm_charge", [nodes.Const(chars)], lineno)).set_lineno(lineno))

        def visit_Concat(self, node):
            self.generic_visit(node)
            return self._call("crm_concat", list(node.nodes), node.lineno)

        def visit_For(self, node):
            self.generic_visit(node)
            node.iter = self._call("crm_loop", [node.iter], node.lineno)
            self._charge(node.body, node.lineno)
            return node

        def visit_Macro(self, node):
            self.generic_visit(node)
            self._charge(node.body, node.lineno)
            return node

        visit_CallBlock = visit_Macro

    def guard_filter(name: str, func):
        offset = 0 if _PassArg.from_obj(func) is None else 1
        check = _FILTER_CHECKS.get(name)

        @functools.wraps(func)
        def guarded(*args, **kwargs):
            _step()
            if name == "join" and len(args) > offset and not isinstance(args[offset], str):
                args = (*args[:offset], list(args[offset]), *args[offset + 1 :])
                _check_join(*args[offset:], **kwargs)
            _check_args(args[offset:], kwargs)
            if check is not None:
                check(*args[offset:], **kwargs)
            result = func(*args, **kwargs)
            _check_result(result)
            return result

        return guarded

    class FieldUndefined(StrictUndefined):
        """A name or field the template asked for and the context lacks: its error carries what was asked of
        what (`crm_undefined`), so the report can name the field and the closest ones there are (_unknown)."""

        __slots__ = ()

        def __init__(self, hint=None, obj=undefined_nothing, name=None, exc=UndefinedError) -> None:
            if hint is None and exc is UndefinedError:
                exc = functools.partial(_undefined_error, obj, name)
            super().__init__(hint, obj, name, exc)

    class BoundedSandbox(ImmutableSandboxedEnvironment):
        """The sandbox (no Python internals, no changing lists or dicts in place) with every cost bounded."""

        intercepted_binops = frozenset(["*", "**", "+", "%"])

        def __init__(self) -> None:
            super().__init__(
                undefined=FieldUndefined,
                autoescape=False,
                keep_trailing_newline=False,
                loader=Loader(),
                finalize=self.crm_finalize,
                auto_reload=True,
            )
            for name in _DROPPED_GLOBALS:
                self.globals.pop(name, None)
            for name in _DROPPED_FILTERS:
                self.filters.pop(name, None)
            self.globals["range"] = _safe_range
            self.filters["short_date"] = _short_date
            self.filters["clause"] = _clause
            from crm.outreach.phrasing import as_you, promise, role_phrase, their_work

            self.filters["role"] = role_phrase
            self.filters["as_you"] = as_you
            self.filters["promise"] = promise
            self.filters["work"] = their_work
            self.filters = {name: guard_filter(name, func) for name, func in self.filters.items()}

        # hooks the Guard rewrite calls
        @staticmethod
        def crm_finalize(value):
            size = _size(value, strict=True)
            _step(size)
            return value

        @staticmethod
        def crm_concat(*parts) -> str:
            _too_long("a joined text", sum(_size(part, strict=True) for part in parts))
            return "".join(map(str, parts))

        @staticmethod
        def crm_loop(iterable):
            for item in iterable:
                _step()
                yield item

        @staticmethod
        def crm_charge(chars: int) -> str:
            _step(chars)
            return ""

        # the sandbox's own hooks
        def _parse(self, source, name, filename):
            tree = Guard().visit(super()._parse(source, name, filename))
            tree.set_environment(self)
            return tree

        def _load_template(self, name, globals):
            template = super()._load_template(name, globals)
            _step(self.loader.sizes.get(name, 0))
            return template

        def call_binop(self, context, operator: str, left, right):
            _tick()
            _binop(operator, left, right)
            try:
                return super().call_binop(context, operator, left, right)
            except OverflowError:
                raise _Limit("a number grew too large") from None

        def call(self, context, obj, /, *args, **kwargs):
            _step()
            if isinstance(obj, types.BuiltinMethodType):
                for arg in (*args, *kwargs.values()):
                    _check_int(arg)
                receiver = obj.__self__
                if isinstance(receiver, (str, bytes, bytearray)):
                    _check_str_method(receiver, obj.__name__, args, kwargs)
            result = super().call(context, obj, *args, **kwargs)
            _check_result(result)
            return result

        def getattr(self, obj, attribute):
            _tick()
            return super().getattr(obj, attribute)

        def getitem(self, obj, argument):
            _tick()
            return super().getitem(obj, argument)

        def wrap_str_format(self, value):
            if not isinstance(value, (types.MethodType, types.BuiltinMethodType)) or value.__name__ not in (
                "format",
                "format_map",
            ):
                return None
            receiver = value.__self__
            if not isinstance(receiver, str):
                return None
            is_format_map = value.__name__ == "format_map"

            def formatted(*args, **kwargs) -> str:
                if is_format_map:
                    if kwargs or len(args) != 1:
                        raise TypeError("format_map() takes exactly one argument")
                    args, kwargs = (), args[0]
                _too_long("a format", len(receiver))
                return str(BoundedFormatter(self).vformat(str(receiver), args, kwargs))

            return functools.update_wrapper(formatted, value)

    return BoundedSandbox()


def tidy(text: str) -> str:
    """Trim spaces at line ends and collapse runs of blank lines that template logic leaves behind."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return "\n".join(out)
