"""A club's members: one PostgreSQL login role each, in the club's member group (`crm club add-member`, `members`).

The password reaches the server already hashed (SCRAM-SHA-256, hashed here by libpq), so it is in no statement
the server might log, and it never comes from argv (the CLI reads stdin or a prompt).
"""

from __future__ import annotations

import re

from crm.club import INFO_TABLE, has_club_info
from crm.errors import CrmError

# A plain lower-case identifier: typed unquoted in a URL, psql or SQL, it means the same role.
NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a member's role name (one line), or None."""
    if not NAME.fullmatch(name):
        return (
            f"{name!r} is not a plain role name: use 1-63 lower-case letters, digits and _, starting with a letter or _"
        )
    if name.startswith("pg_"):
        return f"{name!r} starts with pg_, which PostgreSQL keeps for its own roles"
    return None


def _club_group(conn) -> str:
    if not has_club_info(conn):
        raise CrmError("this database is not a club's: run `crm club init` first (as its owner)")
    row = conn.execute(f"SELECT value FROM {INFO_TABLE} WHERE key = 'group'").fetchone()
    if row is None:
        raise CrmError(f"this club database names no member group ({INFO_TABLE} has no 'group')")
    return row[0]


def add_member(url: str, name: str, password: str) -> str:
    """CREATE ROLE name LOGIN PASSWORD ... IN ROLE <the club's group>; returns the group. CrmError (nothing made)
    for a bad name, an empty password, an existing role, or a role that may not create roles."""
    from psycopg import sql

    from crm.store.db import said_as_database_problem
    from crm.store.postgres import connect

    problem = name_problem(name)
    if problem is not None:
        raise CrmError(problem)
    if not password:
        raise CrmError("the password is empty: give the member one (on stdin, or at the prompt)")
    if "\n" in password or "\r" in password:
        raise CrmError("the password spans several lines: give one line")
    with said_as_database_problem(url):
        conn = connect(url, autocommit=False)
        try:
            with conn.transaction():
                group = _club_group(conn)
                if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
                    raise CrmError(f"role {name} already exists: choose another name (see `crm club members`)")
                user, may = conn.execute(
                    "SELECT current_user, rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user"
                ).fetchone()
                if not may:
                    raise CrmError(f"role {user} may not create roles (CREATEROLE): ask the club's admin to add {name}")
                hashed = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256").decode()
                conn.execute(
                    sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                        sql.Identifier(name), sql.Literal(hashed), sql.Identifier(group)
                    )
                )
        finally:
            conn.close()
    return group


def members(url: str) -> list[str]:
    """The login roles in the club's member group, by name."""
    from crm.store.db import said_as_database_problem
    from crm.store.postgres import connect

    with said_as_database_problem(url):
        conn = connect(url)
        try:
            group = _club_group(conn)
            rows = conn.execute(
                "SELECT r.rolname FROM pg_auth_members AS m JOIN pg_roles AS r ON r.oid = m.member"
                " JOIN pg_roles AS g ON g.oid = m.roleid WHERE g.rolname = %s ORDER BY r.rolname",
                (group,),
            ).fetchall()
        finally:
            conn.close()
    return [row[0] for row in rows]
