"""Message templates: finding them (user folder over built-ins), reading their front matter, rendering strictly."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from crm.errors import CrmError
from crm.store.paths import config_dir, resource_dir

KINDS = ("first-message", "nudge", "reply", "thank-you", "referral-thanks", "intro-thanks", "keep-in-touch")
DEFAULT_MAX_WORDS = 100
_FRONT_MATTER = re.compile(r"\A\s*\{#(.*?)#\}\s*", re.DOTALL)
_KEY_VALUE = re.compile(r"^\s*([a-z_]+)\s*:\s*(.*?)\s*$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Template:
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
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CrmError(f"template {path} cannot be read ({exc}): fix or remove it") from None
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
        raise CrmError(f"{path}: kind {kind!r} is not one of {', '.join(KINDS)}")
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


def list_templates() -> list[Template]:
    """Every template by name; a user template replaces the built-in of the same name."""
    found = {name: (path, "built-in") for name, path in _files(builtin_template_dir()).items()}
    found.update({name: (path, "user") for name, path in _files(user_template_dir()).items()})
    return [_read(path, source) for name, (path, source) in sorted(found.items())]


def load_template(name: str) -> Template:
    clean = (name or "").strip().removesuffix(".j2")
    if not _NAME.match(clean):
        raise CrmError(f"{name!r} is not a template name: see `crm template list`")
    for folder, source in ((user_template_dir(), "user"), (builtin_template_dir(), "built-in")):
        path = folder / f"{clean}.j2"
        if path.is_file():
            return _read(path, source)
    names = ", ".join(t.name for t in list_templates()) or "none"
    raise CrmError(f"no template named {clean!r}: choose one of {names}")


def _short_date(value) -> str:
    if isinstance(value, dt.date):
        return f"{value:%b} {value.day}"
    return str(value)


def _clause(value) -> str:
    """Text to continue a sentence with: no trailing full stop or spaces (the template adds its own)."""
    return str(value).strip().rstrip(".;,! ")


def _environment():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    # A user template is untrusted: the sandbox refuses Python internals, and StrictUndefined
    # turns any missing field into an error instead of a blank in the message.
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters["short_date"] = _short_date
    env.filters["clause"] = _clause
    return env


def missing(hint: str):
    """A value that, when a template uses it, fails with `hint` (what is missing and how to add it)."""
    from jinja2 import StrictUndefined

    return StrictUndefined(hint=hint)


def render(template: Template, context: dict) -> str:
    """Render strictly; every failure is a CrmError naming the template and what to fix."""
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateError

    env = _environment()
    try:
        compiled = env.from_string(template.body)
    except TemplateSyntaxError as exc:
        raise CrmError(f"{template.path}:{exc.lineno}: template syntax error: {exc.message}") from None
    try:
        text = compiled.render(**context)
    except SecurityError as exc:
        raise CrmError(f"template {template.name} was refused: it reached for Python internals ({exc})") from None
    except UndefinedError as exc:
        raise CrmError(f"template {template.name}: {exc.message}") from None
    except TemplateError as exc:
        raise CrmError(f"template {template.name} failed: {exc}") from None
    return tidy(text)


def tidy(text: str) -> str:
    """Trim spaces at line ends and collapse runs of blank lines that template logic leaves behind."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return "\n".join(out)
