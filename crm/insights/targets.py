"""Target companies: the one write of crm.insights (`crm target add`), through SQLModel like every other write."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from crm.contacts.fields import check_length
from crm.errors import CrmError
from crm.insights.companies import company_key
from crm.models import Target


def add_target(session: Session, company: str) -> tuple[Target, bool]:
    """Make `company` a target; (the target, whether it is new). Idempotent and case-insensitive: adding 'figma'
    after 'Figma' finds the first (its spelling is kept)."""
    name = " ".join((company or "").split())
    if not name:
        raise CrmError("no company given: crm target add COMPANY (e.g. crm target add Figma)")
    check_length(name, "line", "the company")  # as a contact's company (crm.contacts.fields.LIMITS)
    key = company_key(name)
    found = session.scalar(select(Target).where(Target.key == key))
    if found is not None:
        return found, False
    target = Target(company=name, key=key)
    session.add(target)
    session.flush()
    return target, True
