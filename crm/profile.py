"""Me and my projects: what first messages say about the sender (writes load the ORM; `read_profile` does not)."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from crm.contacts.fields import too_long
from crm.errors import CrmError

if TYPE_CHECKING:
    from sqlmodel import Session

    from crm.models import Me, Project

ME_FIELDS = ("name", "school", "year", "major", "target")


class ProjectRow(NamedTuple):
    id: int
    name: str
    result: str
    description: str | None


class Profile(NamedTuple):
    """My profile as `read_profile` reads it: every field (None when not set) and my projects, oldest first."""

    me: dict[str, str | None]
    projects: list[ProjectRow]

    @property
    def missing(self) -> list[str]:
        """The profile fields not set yet, in form order."""
        return [key for key in ME_FIELDS if not self.me.get(key)]


def read_profile(conn) -> Profile:
    """My profile and projects from `conn` (DB-API: `store.reader`)."""
    row = conn.execute(f"SELECT {', '.join(ME_FIELDS)} FROM me WHERE id = 1").fetchone() or (None,) * len(ME_FIELDS)
    projects = conn.execute("SELECT id, name, result, description FROM project ORDER BY id").fetchall()
    return Profile(dict(zip(ME_FIELDS, row, strict=True)), [ProjectRow._make(p) for p in projects])


def get_me(session: Session) -> Me:
    from crm.models import Me

    return session.get(Me, 1) or Me(id=1)


def update_me(*, session: Session, **values: str | None) -> Me:
    """Set the given profile fields ("" clears one); None leaves a field alone."""
    unknown = set(values) - set(ME_FIELDS)
    if unknown:
        raise CrmError(f"unknown profile field(s): {', '.join(sorted(unknown))}")
    me = get_me(session)
    for key, value in values.items():
        if value is not None:
            setattr(me, key, " ".join(value.split()) or None)
    session.add(me)
    session.flush()
    return me


class ProjectFieldError(CrmError):
    """A project value that cannot be stored; `field` says which ("name" or "result"), so a form can mark it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def clean_project(name: str | None, result: str | None) -> tuple[str, str]:
    """The name and result as stored (spaces collapsed); ProjectFieldError when either is empty."""
    clean_name = " ".join((name or "").split())
    clean_result = " ".join((result or "").split())
    if not clean_name:
        raise ProjectFieldError("name", "a project needs a name")
    if (reason := too_long(clean_name, "line")) is not None:
        raise ProjectFieldError("name", f"the project's name: {reason}")
    if not clean_result:
        raise ProjectFieldError("result", "a project needs a measured result: what changed, with a number")
    return clean_name, clean_result


def add_project(*, session: Session, name: str, result: str, description: str | None = None) -> Project:
    from sqlalchemy import func, select

    from crm.models import Project

    clean_name, clean_result = clean_project(name, result)
    if session.scalar(select(Project).where(func.lower(Project.name) == clean_name.lower())):
        raise ProjectFieldError("name", f"a project named {clean_name!r} already exists: choose another name")
    project = Project(name=clean_name, result=clean_result, description=(description or "").strip() or None)
    session.add(project)
    session.flush()
    return project


def list_projects(session: Session) -> list[Project]:
    from sqlalchemy import select

    from crm.models import Project

    return list(session.scalars(select(Project).order_by(Project.id)))
