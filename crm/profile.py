"""Me and my projects: what first messages say about the sender."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from crm.errors import CrmError
from crm.models import Me, Project

ME_FIELDS = ("name", "school", "year", "major", "target")


def get_me(session: Session) -> Me:
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


def add_project(*, session: Session, name: str, result: str, description: str | None = None) -> Project:
    clean_name = " ".join((name or "").split())
    clean_result = " ".join((result or "").split())
    if not clean_name:
        raise CrmError("a project needs a name: give a non-empty NAME")
    if not clean_result:
        raise CrmError("a project needs a measured result: --result 'cut load time from 3.2s to 1.4s'")
    if session.scalar(select(Project).where(func.lower(Project.name) == clean_name.lower())):
        raise CrmError(f"a project named {clean_name!r} already exists: choose another name")
    project = Project(name=clean_name, result=clean_result, description=(description or "").strip() or None)
    session.add(project)
    session.flush()
    return project


def list_projects(session: Session) -> list[Project]:
    return list(session.scalars(select(Project).order_by(Project.id)))
