"""A club database for tests (issue 15.2): made once per session by `crm club init` as a non-superuser admin, with
member roles, then copied per test (CREATE DATABASE ... TEMPLATE keeps every owner, grant and policy).

The `club` fixture (tests/conftest.py) gives a `Club`: `club.url("jordan")` is jordan's URL (a member role, not a
superuser: row-level security applies to it), `club.admin_url` the admin's. Roles belong to the whole cluster, so
every test's club has the same members: MEMBERS, and `crowd(n)` more for the concurrency test.
"""

from __future__ import annotations

from dataclasses import dataclass

ADMIN = "crm_club_admin"  # owns the club's tables and may create roles; not a superuser
TEMPLATE = "crm_club_template"
MEMBERS = ("jordan", "sam")
CROWD = 20  # members m01..m20 (issue 15.5: 20 concurrent members)


def password(member: str) -> str:
    return f"pw-{member}-secret"


def crowd(n: int = CROWD) -> list[str]:
    return [f"m{k:02d}" for k in range(1, n + 1)]


@dataclass
class Club:
    cluster: object
    database: str

    def url(self, member: str) -> str:
        return self.cluster.url(self.database, user=member, password=password(member))

    @property
    def admin_url(self) -> str:
        return self.cluster.url(self.database, user=ADMIN)

    def connect(self, member: str):
        """A raw psycopg connection as `member` (autocommit), as a member's own psql would be."""
        import psycopg

        from crm.store.urls import libpq_url

        return psycopg.connect(libpq_url(self.url(member)), autocommit=True)


def _make_template(cluster) -> None:
    from crm.club.members import add_member
    from crm.club.schema import init_club

    cluster.admin(f"CREATE ROLE {ADMIN} LOGIN CREATEROLE")
    cluster.admin(f'CREATE DATABASE "{TEMPLATE}" OWNER {ADMIN} TEMPLATE template0')
    url = cluster.url(TEMPLATE, user=ADMIN)
    init_club(url)
    for member in (*MEMBERS, *crowd()):
        add_member(url, member, password(member))


def club_database(cluster):
    """Yield a fresh club database (a copy of the session's club template); dropped after."""
    if not getattr(cluster, "club_template_made", False):
        _make_template(cluster)
        cluster.club_template_made = True
    name = cluster.create_database(template=TEMPLATE)
    cluster.admin(f'ALTER DATABASE "{name}" OWNER TO {ADMIN}')  # as README's set-up: the admin owns the database
    try:
        yield Club(cluster, name)
    finally:
        cluster.drop_database(name)
