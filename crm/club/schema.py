"""`crm club init`: turn a crm PostgreSQL database (at head) into a club's, in one transaction.

What becomes what (crm's own code keeps working, unchanged, for every member):
- private tables (interaction, promise, draft, contact_tag, project, target, search_index, me, meta, and any table a
  later migration adds that this module does not know): an `owner` column (default current_user; existing rows are
  the admin's), row-level security forced on, one policy `owner = current_user`. Keys that were global become per
  owner (me.id, meta.key, project.name, target.key, a tag), so two members both have `me` 1 and a project "X".
  search_index's hook entries (shared research) are everyone's.
- contact: renamed `club_contact`, keeping the shared columns (SHARED_CONTACT); every other column moves to
  `contact_state` (one row per member and contact, made on the member's first private write). A view named
  `contact` joins them for the current member, with INSTEAD OF triggers so the ORM's inserts, updates and deletes
  (and raw `UPDATE contact SET ...`) still work. Deleting through it removes the member's relationship and the shared
  row only when no other member has anything on it, and no hook (the club's research) is on it.
- touch: which member messaged, heard back from, chatted with or was introduced to which alum, when
  (crm.club.TOUCH_KINDS; a trigger on interaction keeps it; a note or a referral is no touch); readable by every
  member, written only as oneself. crm.club.fatigue reads it: keep its columns.
- a member group role (NOLOGIN, the club's own: `group_problem`) holding the privileges; `club_info` records it.
- the rules (`_rules_sql`: the touch trigger, the in-use check, the id sequences' guards, the peek policies, the
  view's delete), versioned by RULES in club_info: `crm club init` by the admin of a club with older rules rewrites
  them (`upgrade`).

Column lists are read from the catalog, so a column a later migration adds to `contact` lands in `contact_state`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crm.club import ADVANCE_SEQUENCE, DEFAULT_GROUP, INFO_TABLE, TOUCH_KINDS, has_club_info
from crm.errors import CrmError

# The alumni record every member shares (with id, created_at, updated_at); every other contact column is private.
SHARED_CONTACT = ("name", "email", "linkedin_url", "company", "team", "role", "school", "grad_year", "program",
                  "location")  # fmt: skip
CONTACT_KEEP = ("id", *SHARED_CONTACT, "created_at", "updated_at")
# Private contact columns' values for a member with no state row yet (the ORM's defaults).
STATE_DEFAULTS = {"stage": "'identified'", "archived": "false"}

SHARED_TABLES = frozenset({"hook", "alembic_version"})  # besides contact: hooks are the club's research
PER_OWNER_ID = frozenset({"me"})  # ids chosen by crm (Me(id=1)), not by a sequence: unique per member
PEEK_SETTING = "crm.club_peek"  # set only inside club_others_know and ADVANCE_SEQUENCE (see there)
# The version of the club's rules (`_rules_sql`), in club_info: `crm club init` on a club with older rules, by its
# admin, rewrites them (`upgrade`). Bump it whenever `_rules_sql` changes.
RULES = "2"

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_$]{0,62}")


def ident(name: str) -> str:
    """A catalog name as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# -- reading the catalog ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    not_null: bool
    default: str | None


def _tables(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname")]  # fmt: skip


def _columns(conn, table: str) -> list[Column]:
    rows = conn.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid)"
        " FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
        " WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        (table,),
    ).fetchall()
    return [Column(*row) for row in rows]


def _unique_keys(conn, table: str) -> list[tuple[str, list[str], str | None]]:
    """(index name, its columns, 'p'/'u' if a constraint else None) for each unique index of `table`."""
    rows = conn.execute(
        "SELECT i.relname, array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY AS k(num, pos)"
        "   JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.num ORDER BY k.pos),"
        " (SELECT c.contype::text FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid"
        "   AND c.contype IN ('p', 'u'))"
        " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
        " WHERE x.indrelid = to_regclass(%s) AND x.indisunique ORDER BY i.relname",
        (table,),
    ).fetchall()
    return [(name, list(cols), kind) for name, cols, kind in rows]


def _indexes_on(conn, table: str) -> list[tuple[str, list[str], bool]]:
    """(name, columns, unique) of every plain-column index of `table`."""
    rows = conn.execute(
        "SELECT i.relname, array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY AS k(num, pos)"
        "   JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.num ORDER BY k.pos), x.indisunique"
        " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
        " WHERE x.indrelid = to_regclass(%s) AND x.indexprs IS NULL ORDER BY i.relname",
        (table,),
    ).fetchall()
    return [(name, list(cols), unique) for name, cols, unique in rows]


def _references_to(conn, table: str) -> list[tuple[str, str, str, str]]:
    """(referencing table, constraint, column, on-delete action code) of each one-column FK to `table`."""
    return [tuple(r) for r in conn.execute(
        "SELECT c.conrelid::regclass::text, c.conname, a.attname, c.confdeltype::text FROM pg_constraint c"
        " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
        " WHERE c.contype = 'f' AND c.confrelid = to_regclass(%s) AND array_length(c.conkey, 1) = 1"
        " ORDER BY 1, 2", (table,))]  # fmt: skip


def hook_slot(conn) -> tuple[int, int]:
    """(slots, hook field) of the search index's entry encoding `id * slots + field`, as the hook trigger function
    at this revision writes it (migrations 0004 and 0008 changed it: read it, do not assume it)."""
    row = conn.execute("SELECT prosrc FROM pg_proc WHERE proname = 'search_hook_sync'").fetchone()
    match = re.search(r"entry\s*=\s*NEW\.id::bigint\s*\*\s*(\d+)\s*\+\s*(\d+)", row[0] if row else "")
    if match is None:
        raise CrmError("cannot tell how this database's search index stores hooks: is it at crm's newest schema?")
    return int(match.group(1)), int(match.group(2))


# -- checks before anything is changed ----------------------------------------------------------------------------


def refusal(conn, *, group: str) -> str | None:
    """Why this role cannot make this database a club's (one line), or None. Read-only."""
    if not _IDENTIFIER.fullmatch(group):
        return f"{group!r} cannot be a group role name: use lower-case letters, digits and _"
    if has_club_info(conn):
        return "this database is already a club's: nothing to do (add members with `crm club add-member NAME`)"
    user, can_create_role, superuser = conn.execute(
        "SELECT current_user, rolcreaterole, rolsuper FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    foreign = conn.execute(
        "SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'S')"
        " AND NOT pg_has_role(current_user, c.relowner, 'USAGE') ORDER BY 1 LIMIT 1"
    ).fetchone()
    if foreign is not None:
        return (
            f"role {user} does not own table {foreign[0]} (its owner is {foreign[1]}): run `crm club init` as the "
            "role that owns the database's tables"
        )
    if not conn.execute("SELECT has_schema_privilege(current_schema(), 'CREATE')").fetchone()[0]:
        return f"role {user} may not create tables in this database's schema: run `crm club init` as its owner"
    problem = group_problem(conn, group)
    if problem is not None:
        return problem
    group_exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone() is not None
    if not group_exists and not (can_create_role or superuser):
        return f"role {user} may not create roles (CREATEROLE), which the member group {group} needs"
    return None


_SPECIAL = ("rolsuper", "rolcreaterole", "rolcreatedb", "rolreplication", "rolbypassrls")


def group_problem(conn, group: str) -> str | None:
    """Why the existing role `group` cannot be this club's member group (one line), or None (no such role yet, or
    an empty NOLOGIN role made for this club). Every member gets the group's rights and its members' company, and
    roles are the server's, not the database's: another club's group (crm_member, by default) would join two clubs'
    members, and a member's login role as the group would let every new member become them (SET ROLE)."""
    fix = "give this club a new group of its own with `crm club init --group NAME`"
    if group.startswith("pg_"):
        return f"{group} is a name PostgreSQL keeps for its predefined roles (pg_*), not a member group: {fix}"
    row = conn.execute(
        f"SELECT oid, rolcanlogin, {', '.join(_SPECIAL)} FROM pg_roles WHERE rolname = %s", (group,)
    ).fetchone()
    if row is None:
        return None
    oid, login, *special = row
    if login:
        return f"role {group} can log in: it is someone's login role, not a member group; {fix}"
    attributes = [name[3:].upper() for name, on in zip(_SPECIAL, special, strict=True) if on]
    if attributes:
        return f"role {group} has {', '.join(attributes)}, which every member would get: {fix}"
    parent = conn.execute(
        "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid WHERE m.member = %s"
        " ORDER BY 1 LIMIT 1",
        (oid,),
    ).fetchone()
    if parent is not None:
        return f"role {group} is a member of role {parent[0]}, whose rights every member would get: {fix}"
    elsewhere = conn.execute(
        "SELECT coalesce(d.datname, o.datname, '') FROM pg_shdepend s"
        " LEFT JOIN pg_database d ON d.oid = s.dbid"
        " LEFT JOIN pg_database o ON s.dbid = 0 AND s.classid = 'pg_database'::regclass AND o.oid = s.objid"
        " WHERE s.refclassid = 'pg_authid'::regclass AND s.refobjid = %s"
        " AND coalesce(d.datname, o.datname, '') <> current_database() ORDER BY 1 LIMIT 1",
        (oid,),
    ).fetchone()
    if elsewhere is not None:
        where = f"database {elsewhere[0]}" if elsewhere[0] else "this server (a tablespace, say)"
        return f"role {group} already has privileges or objects in {where} (another club's group?): {fix}"
    member = conn.execute(  # the admin may hold it (PostgreSQL 16 grants a role to the CREATEROLE user who made it)
        "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member"
        " WHERE m.roleid = %s AND r.rolname <> current_user ORDER BY 1 LIMIT 1",
        (oid,),
    ).fetchone()
    if member is not None:
        return f"role {group} already has members ({member[0]}), who would all become this club's: {fix}"
    return None


# -- the conversion -----------------------------------------------------------------------------------------------


def convert(conn, *, group: str = DEFAULT_GROUP) -> None:
    """Make the (migrated, at head) database a club's; on `conn`, inside the caller's transaction."""
    admin = conn.execute("SELECT current_user").fetchone()[0]
    schema = conn.execute("SELECT current_schema()").fetchone()[0]
    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone() is None:
        conn.execute(f"CREATE ROLE {ident(group)} NOLOGIN")
    slots, hook = hook_slot(conn)
    private = [t for t in _tables(conn) if t not in SHARED_TABLES and t != "contact"]
    _split_contact(conn)
    for table in private:
        _make_private(conn, table)
    for ddl in _club_sql():
        conn.execute(ddl)
    conn.execute(
        f"CREATE POLICY club_own ON search_index USING (owner = current_user OR entry % {slots} = {hook})"
        f" WITH CHECK (owner = current_user OR entry % {slots} = {hook})"
    )
    _grant(conn, group=group, schema=schema)
    for ddl in _rules_sql(conn, admin=admin, schema=schema, group=group):
        conn.execute(ddl)
    for op in ("insert", "update"):  # the view's DELETE trigger is one of the rules
        conn.execute(
            f"CREATE TRIGGER contact_{op} INSTEAD OF {op.upper()} ON contact FOR EACH ROW"
            f" EXECUTE FUNCTION contact_view_{op}()"
        )
    conn.execute(  # the interactions so far (all the admin's): their touches, as the trigger now makes them
        "INSERT INTO touch (contact_id, member, kind, date, interaction_id)"
        " SELECT contact_id, owner, kind, date, id FROM interaction WHERE kind = ANY(%s) ORDER BY id",
        (list(TOUCH_KINDS),),
    )
    conn.execute(
        f"INSERT INTO {INFO_TABLE} (key, value) VALUES ('group', %s), ('admin', %s), ('hook_slot', %s), ('rules', %s)",
        (group, admin, f"{slots}:{hook}", RULES),
    )


def upgrade(conn) -> list[str] | None:
    """Bring an existing club's rules (`_rules_sql`) to this crm's, as its admin, in the caller's transaction, delete
    the touches of kinds that are no longer touches, and move back any id sequence a member pushed to the end of its
    range under the older rules (`_repair_sequences`). None (nothing changed) when the rules already are this crm's;
    else the sequences moved back."""
    info = dict(conn.execute(f"SELECT key, value FROM {INFO_TABLE}").fetchall())
    if info.get("rules") == RULES:
        return None
    schema = conn.execute("SELECT current_schema()").fetchone()[0]
    for ddl in _rules_sql(conn, admin=info["admin"], schema=schema, group=info["group"]):
        conn.execute(ddl)
    # Other members' touches too: the owner passes the table's policies only with FORCE off, inside this
    # transaction (ALTER TABLE holds the table until it ends, so no member ever sees it off).
    conn.execute("ALTER TABLE touch NO FORCE ROW LEVEL SECURITY")
    conn.execute("DELETE FROM touch WHERE NOT (kind = ANY(%s))", (list(TOUCH_KINDS),))
    conn.execute("ALTER TABLE touch FORCE ROW LEVEL SECURITY")
    conn.execute(
        f"INSERT INTO {INFO_TABLE} (key, value) VALUES ('rules', %s) ON CONFLICT (key) DO UPDATE SET value = %s",
        (RULES, RULES),
    )
    return _repair_sequences(conn)


def _repair_sequences(conn) -> list[str]:
    """Each id sequence past half its range (no club gets there by its own writes: the older rules let a member
    move one to its end, and then nobody could insert) goes back to the largest id below that present in its table,
    every member's rows counted (the peek policies, just made); returns their names."""
    repaired = []
    for sequence, table, column in _owned_sequences(conn):
        last, ceiling = conn.execute(
            "SELECT coalesce(pg_sequence_last_value(%s::regclass), 0), seqmax / 2 FROM pg_sequence"
            " WHERE seqrelid = %s::regclass",
            (ident(sequence), ident(sequence)),
        ).fetchone()
        if last <= ceiling:
            continue
        conn.execute("SELECT set_config(%s, 'on', true)", (PEEK_SETTING,))
        top = conn.execute(
            f"SELECT max({ident(column)}) FROM {ident(table)} WHERE {ident(column)} <= %s", (ceiling,)
        ).fetchone()[0]
        conn.execute("SELECT set_config(%s, 'off', true)", (PEEK_SETTING,))
        conn.execute("SELECT setval(%s::regclass, %s, %s)", (ident(sequence), top or 1, top is not None))
        repaired.append(sequence)
    return repaired


def _make_private(conn, table: str) -> None:
    """An owner column (existing rows: the admin's), per-owner unique keys, and RLS forced on."""
    conn.execute(f"ALTER TABLE {ident(table)} ADD COLUMN owner name NOT NULL DEFAULT current_user")
    for name, cols, kind in _unique_keys(conn, table):
        if cols == ["id"] and table not in PER_OWNER_ID:
            continue  # ids from a sequence are unique across members already (and other tables refer to them)
        # search_index's entry too is per owner: were it global, a member could claim the entries of another's next
        # interaction (`id * slots + field`, ids being guessable) and so block them from logging it.
        keyed = ", ".join(ident(c) for c in ["owner", *cols])
        if kind in ("p", "u"):
            what = "PRIMARY KEY" if kind == "p" else "UNIQUE"
            conn.execute(f"ALTER TABLE {ident(table)} DROP CONSTRAINT {ident(name)}")
            conn.execute(f"ALTER TABLE {ident(table)} ADD CONSTRAINT {ident(name)} {what} ({keyed})")
        else:
            conn.execute(f"DROP INDEX {ident(name)}")
            conn.execute(f"CREATE UNIQUE INDEX {ident(name)} ON {ident(table)} ({keyed})")
    _no_statistics(conn, table)
    conn.execute(f"ALTER TABLE {ident(table)} ENABLE ROW LEVEL SECURITY")
    conn.execute(f"ALTER TABLE {ident(table)} FORCE ROW LEVEL SECURITY")
    if table != "search_index":  # its policy also shares the hook entries (convert)
        conn.execute(
            f"CREATE POLICY club_own ON {ident(table)} USING (owner = current_user) WITH CHECK (owner = current_user)"
        )


def _no_statistics(conn, table: str) -> None:
    """ANALYZE samples no values of a private table's columns (but owner and id). The planner estimates a
    leakproof operator (`=`, `<` on text) from those samples even under row-level security, so a member's
    `EXPLAIN SELECT * FROM interaction WHERE notes = 'a guess'` would confirm another member's notes (or tag)."""
    for column in _columns(conn, table):
        if column.name not in ("owner", "id"):
            conn.execute(f"ALTER TABLE {ident(table)} ALTER COLUMN {ident(column.name)} SET STATISTICS 0")


def _split_contact(conn) -> list[Column]:
    """contact -> club_contact (shared columns) + contact_state (the rest, per member); returns the state columns."""
    columns = _columns(conn, "contact")
    missing = [c for c in CONTACT_KEEP if c not in {col.name for col in columns}]
    if missing:
        raise CrmError(f"this database's contact table has no {', '.join(missing)}: is it at crm's newest schema?")
    state = [c for c in columns if c.name not in CONTACT_KEEP]
    for column in state:
        if column.not_null and column.default is None and column.name not in STATE_DEFAULTS:
            raise CrmError(f"contact.{column.name} is required and has no default: club init does not know it")
    indexes = [(n, cols, u) for n, cols, u in _indexes_on(conn, "contact") if set(cols) <= {c.name for c in state}]
    self_refs = [(con, col, act) for tbl, con, col, act in _references_to(conn, "contact") if tbl == "contact"]
    conn.execute("ALTER TABLE contact RENAME TO club_contact")
    definitions = []
    for column in state:
        default = STATE_DEFAULTS.get(column.name, column.default)
        definitions.append(
            f"{ident(column.name)} {column.type}"
            + (" NOT NULL" if column.not_null else "")
            + (f" DEFAULT {default}" if default is not None else "")
        )
    for constraint, col, action in self_refs:
        on_delete = {"n": "SET NULL", "c": "CASCADE"}.get(action, "NO ACTION")
        definitions.append(
            f"CONSTRAINT {ident(constraint)} FOREIGN KEY ({ident(col)}) REFERENCES club_contact (id) "
            f"ON DELETE {on_delete}"
        )
    conn.execute(
        "CREATE TABLE contact_state (contact_id integer NOT NULL REFERENCES club_contact (id) ON DELETE CASCADE,"
        " owner name NOT NULL DEFAULT current_user, " + ", ".join(definitions) + ", PRIMARY KEY (contact_id, owner))"
    )
    names = ", ".join(ident(c.name) for c in state)
    conn.execute(f"INSERT INTO contact_state (contact_id, {names}) SELECT id, {names} FROM club_contact")
    conn.execute("ALTER TABLE club_contact " + ", ".join(f"DROP COLUMN {ident(c.name)}" for c in state))
    for name, cols, unique in indexes:  # the schedule and stage indexes, now per member: `crm due` stays a range
        keyed = ", ".join(ident(c) for c in ["owner", *cols])
        conn.execute(f"CREATE {'UNIQUE ' if unique else ''}INDEX {ident(name)} ON contact_state ({keyed})")
    conn.execute("CREATE INDEX ix_contact_state_contact ON contact_state (contact_id)")
    _no_statistics(conn, "contact_state")
    conn.execute("ALTER TABLE contact_state ENABLE ROW LEVEL SECURITY")
    conn.execute("ALTER TABLE contact_state FORCE ROW LEVEL SECURITY")
    conn.execute(
        "CREATE POLICY club_own ON contact_state USING (owner = current_user) WITH CHECK (owner = current_user)"
    )
    _contact_view(conn, columns, state)
    return state


def _contact_view(conn, columns: list[Column], state: list[Column]) -> None:
    """The view `contact` (the old table's columns, in order) and its INSTEAD OF triggers."""
    state_names = {c.name for c in state}

    def shown(column: Column) -> str:
        if column.name not in state_names:
            return f"c.{ident(column.name)}"
        default = STATE_DEFAULTS.get(column.name, column.default)
        if default is None:
            return f"s.{ident(column.name)}"
        return f"COALESCE(s.{ident(column.name)}, {default}) AS {ident(column.name)}"

    conn.execute(
        "CREATE VIEW contact WITH (security_invoker = true) AS SELECT "
        + ", ".join(shown(c) for c in columns)
        + " FROM club_contact AS c LEFT JOIN contact_state AS s ON s.contact_id = c.id AND s.owner = current_user"
    )
    conn.execute("ALTER VIEW contact ALTER COLUMN id SET DEFAULT nextval('contact_id_seq')")
    for name, default in STATE_DEFAULTS.items():
        if name in state_names:
            conn.execute(f"ALTER VIEW contact ALTER COLUMN {ident(name)} SET DEFAULT {default}")
    conn.execute("ALTER VIEW contact ALTER COLUMN created_at SET DEFAULT now()")
    conn.execute("ALTER VIEW contact ALTER COLUMN updated_at SET DEFAULT now()")

    shared = [c for c in CONTACT_KEEP if c != "id"]
    s_cols = ", ".join(ident(c) for c in shared)
    s_new = ", ".join(f"NEW.{ident(c)}" for c in shared)
    s_old = ", ".join(f"OLD.{ident(c)}" for c in shared)
    s_set = ", ".join(f"{ident(c)} = NEW.{ident(c)}" for c in shared)
    p_cols = ", ".join(ident(c.name) for c in state)
    p_new = ", ".join(f"NEW.{ident(c.name)}" for c in state)
    p_set = ", ".join(f"{ident(c.name)} = NEW.{ident(c.name)}" for c in state)
    p_defaults = ", ".join(f"{STATE_DEFAULTS.get(c.name, c.default) or 'NULL'}::{c.type}" for c in state)
    fills = "\n".join(
        f"    NEW.{ident(c.name)} := COALESCE(NEW.{ident(c.name)}, {STATE_DEFAULTS[c.name]});"
        for c in state
        if c.name in STATE_DEFAULTS
    )
    conn.execute(f"""
CREATE FUNCTION contact_view_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.id := COALESCE(NEW.id, nextval('contact_id_seq'));
    NEW.created_at := COALESCE(NEW.created_at, now());
    NEW.updated_at := COALESCE(NEW.updated_at, now());
{fills}
    INSERT INTO club_contact (id, {s_cols}) VALUES (NEW.id, {s_new});
    INSERT INTO contact_state (contact_id, {p_cols}) VALUES (NEW.id, {p_new});
    RETURN NEW;
END
$$""")
    conn.execute(f"""
CREATE FUNCTION contact_view_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id THEN
        RAISE EXCEPTION 'a club contact keeps its id';
    END IF;
    IF ROW({s_new}) IS DISTINCT FROM ROW({s_old}) THEN
        UPDATE club_contact SET {s_set} WHERE id = OLD.id;
    END IF;
{fills}
    UPDATE contact_state SET {p_set} WHERE contact_id = OLD.id AND owner = current_user;
    IF NOT FOUND AND ROW({p_new}) IS DISTINCT FROM ROW({p_defaults}) THEN
        INSERT INTO contact_state (contact_id, {p_cols}) VALUES (OLD.id, {p_new})
        ON CONFLICT (contact_id, owner) DO UPDATE SET {p_set.replace("NEW.", "EXCLUDED.")};
    END IF;
    RETURN NEW;
END
$$""")


def _club_sql() -> list[str]:
    """touch and club_info, the tables a club adds (the rules over them: `_rules_sql`)."""
    return [
        """
CREATE TABLE touch (
    id serial PRIMARY KEY,
    contact_id integer NOT NULL REFERENCES club_contact (id) ON DELETE CASCADE,
    member text NOT NULL DEFAULT current_user,
    kind text NOT NULL,
    date date NOT NULL,
    interaction_id integer,
    UNIQUE (member, interaction_id)
)""",
        # (member, interaction_id), not interaction_id alone: else a member could claim another's next interaction
        # id (ids are guessable) and so block them from logging it (the trigger's INSERT would fail).
        "CREATE INDEX ix_touch_contact_date ON touch (contact_id, date)",
        "ALTER TABLE touch ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE touch FORCE ROW LEVEL SECURITY",
        "CREATE POLICY touch_read ON touch FOR SELECT USING (true)",
        "CREATE POLICY touch_add ON touch FOR INSERT WITH CHECK (member = current_user::text)",
        "CREATE POLICY touch_change ON touch FOR UPDATE USING (member = current_user::text)"
        " WITH CHECK (member = current_user::text)",
        "CREATE POLICY touch_remove ON touch FOR DELETE USING (member = current_user::text)",
        f"CREATE TABLE {INFO_TABLE} (key text PRIMARY KEY, value text NOT NULL)",
        # club_contact: everyone reads, adds and edits the shared record; a delete goes through only when no other
        # member has anything on it (a raw DELETE would otherwise cascade into their private rows).
        "ALTER TABLE club_contact ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE club_contact FORCE ROW LEVEL SECURITY",
        "CREATE POLICY club_read ON club_contact FOR SELECT USING (true)",
        "CREATE POLICY club_add ON club_contact FOR INSERT WITH CHECK (true)",
        "CREATE POLICY club_edit ON club_contact FOR UPDATE USING (true) WITH CHECK (true)",
    ]


def _private_tables(conn) -> list[str]:
    """The tables whose rows are each member's own (their `club_own` policy), contact_state included."""
    return [r[0] for r in conn.execute(
        "SELECT tablename::text FROM pg_policies WHERE schemaname = current_schema() AND policyname = 'club_own'"
        " ORDER BY 1")]  # fmt: skip


def _owned_sequences(conn) -> list[tuple[str, str, str]]:
    """(sequence, table, column) of each id sequence a table of this schema owns (serial or identity)."""
    return [tuple(r) for r in conn.execute(
        "SELECT s.relname, t.relname, a.attname FROM pg_depend AS d"
        " JOIN pg_class AS s ON s.oid = d.objid AND s.relkind = 'S'"
        " JOIN pg_class AS t ON t.oid = d.refobjid AND t.relkind IN ('r', 'p')"
        " JOIN pg_attribute AS a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
        " WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
        " AND t.relnamespace = current_schema()::regnamespace ORDER BY 2, 1")]  # fmt: skip


def _rules_sql(conn, *, admin: str, schema: str, group: str) -> list[str]:
    """The club's rules: the functions, triggers and policies `crm club init` writes, and rewrites on an older club
    (`upgrade`), so every statement replaces what an older crm made. Bump RULES when they change."""
    private = _private_tables(conn)
    path = f"SET search_path = {ident(schema)}, pg_temp"
    kinds = ", ".join(literal(kind) for kind in TOUCH_KINDS)
    statements = [
        f"""
CREATE OR REPLACE FUNCTION club_touch_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Only the kinds in crm.club.TOUCH_KINDS are touches: a note or a referral stays private to its member.
    IF TG_OP <> 'INSERT' THEN
        IF TG_OP = 'UPDATE' AND NEW.kind IN ({kinds}) THEN
            UPDATE touch SET contact_id = NEW.contact_id, kind = NEW.kind, date = NEW.date, interaction_id = NEW.id
            WHERE interaction_id = OLD.id AND member = OLD.owner;
            IF FOUND THEN
                RETURN NULL;
            END IF;
        ELSE
            DELETE FROM touch WHERE interaction_id = OLD.id AND member = OLD.owner;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.kind IN ({kinds}) THEN
            INSERT INTO touch (contact_id, member, kind, date, interaction_id) VALUES (NEW.contact_id, NEW.owner,
                NEW.kind, NEW.date, NEW.id);
        END IF;
    END IF;
    RETURN NULL;
END
$$""",
        "DROP TRIGGER IF EXISTS club_touch ON interaction",
        "CREATE TRIGGER club_touch AFTER INSERT OR DELETE OR UPDATE OF id, contact_id, kind, date ON interaction"
        " FOR EACH ROW EXECUTE FUNCTION club_touch_sync()",
    ]
    # Whether another member has anything on a contact: run as the admin (SECURITY DEFINER) with PEEK_SETTING on,
    # which the peek policies below honour for the admin alone, so it sees past the caller's own rows. It says
    # yes or no, nothing more.
    references = _references_to(conn, "club_contact")
    refs = [(table, column) for table, _, column, _ in references if table in private]
    checks = " OR ".join(
        f"EXISTS (SELECT 1 FROM {ident(table)} AS x WHERE x.{ident(column)} = $1 AND x.owner <> $2)"
        for table, column in refs
    )
    hooks = " OR ".join(
        f"EXISTS (SELECT 1 FROM {ident(table)} AS h WHERE h.{ident(column)} = $1)"
        for table, _, column, _ in references
        if table == "hook"
    )
    statements += [
        f"""
CREATE OR REPLACE FUNCTION club_others_know(contact integer, member text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
DECLARE
    known boolean;
BEGIN
    -- For the caller's own role only: with another member's name it would tell whom a private relationship is with.
    IF NOT pg_has_role(session_user, member::name, 'MEMBER') THEN
        RAISE EXCEPTION 'club_others_know answers for your own role only';
    END IF;
    PERFORM set_config('{PEEK_SETTING}', 'on', true);
    known := {checks} OR EXISTS (SELECT 1 FROM touch AS t WHERE t.contact_id = $1 AND t.member <> $2);
    PERFORM set_config('{PEEK_SETTING}', 'off', true);
    RETURN known;
END
$$""",
        # In use: another member has something of their own on the alum (club_others_know), or anyone added a hook.
        # Hooks are the club's shared research and have no author, so any hook keeps the shared record (and with it
        # the hooks) when a member forgets the alum. A merge moves the hooks to the record it keeps first.
        f"""
CREATE OR REPLACE FUNCTION club_contact_in_use(contact integer, member text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
BEGIN
    IF NOT pg_has_role(session_user, member::name, 'MEMBER') THEN
        RAISE EXCEPTION 'club_contact_in_use answers for your own role only';
    END IF;
    RETURN {hooks or "false"} OR club_others_know($1, $2);
END
$$""",
        # Ids continue past rows that came in with their own (`crm db copy` into the club): forward only, for this
        # schema's id sequences only, and never past the largest id in the table that owns the sequence (all
        # members' rows: the peek): moved further, it would use up the ids everyone's next insert needs, and no
        # member can move it back. Nor past half its range, whatever a member's own rows claim (a member may insert
        # a row with an id of their choosing): ids that high are ignored, and the ids above stay for everyone.
        f"""
CREATE OR REPLACE FUNCTION {ADVANCE_SEQUENCE}(seq regclass, at_least bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
DECLARE
    owner_table regclass;
    id_column name;
    ceiling bigint;
    top bigint;
BEGIN
    SELECT d.refobjid::regclass, a.attname, q.seqmax / 2 INTO owner_table, id_column, ceiling
    FROM pg_class AS s
    JOIN pg_sequence AS q ON q.seqrelid = s.oid
    JOIN pg_depend AS d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    JOIN pg_class AS t ON t.oid = d.refobjid AND t.relnamespace = s.relnamespace
    JOIN pg_attribute AS a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE s.oid = seq AND s.relkind = 'S' AND s.relnamespace = {literal(schema)}::regnamespace;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'not a sequence of this club';
    END IF;
    PERFORM set_config('{PEEK_SETTING}', 'on', true);
    EXECUTE format('SELECT max(%1$I) FROM %2$s WHERE %1$I <= $1', id_column, owner_table) INTO top USING ceiling;
    PERFORM set_config('{PEEK_SETTING}', 'off', true);
    IF top IS NULL OR at_least IS NULL THEN
        RETURN;
    END IF;
    top := least(top, at_least);
    IF top > coalesce(pg_sequence_last_value(seq), 0) THEN
        PERFORM setval(seq, top, true);
    END IF;
END
$$""",
    ]
    # An id the writer chose rather than took from the sequence (`crm db copy`, `crm restore`, a member's raw
    # INSERT): the sequence moves past it first, by nextval alone (never back, whatever runs at the same time), so
    # nobody's next insert collides with it. Without this a member could claim the next ids of a table and so
    # block everyone's writes to it. Ids past half the range are not taken: a member could otherwise use them up.
    statements.append(f"""
CREATE OR REPLACE FUNCTION club_claim_id() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
DECLARE
    seq regclass := TG_ARGV[0]::regclass;
    chosen bigint := (to_jsonb(NEW) ->> TG_ARGV[1])::bigint;
    given bigint := coalesce(pg_sequence_last_value(TG_ARGV[0]::regclass), 0);
    ceiling bigint;
BEGIN
    IF chosen > given THEN
        SELECT seqmax / 2 INTO ceiling FROM pg_sequence WHERE seqrelid = seq;
        IF chosen > ceiling THEN
            RAISE EXCEPTION 'id % is past the ids a club gives out (%)', chosen, ceiling;
        END IF;
        PERFORM nextval(seq) FROM generate_series(1, chosen - given);
    END IF;
    RETURN NEW;
END
$$""")
    statements.append("REVOKE ALL ON FUNCTION club_claim_id() FROM PUBLIC")
    for sequence, table, column in _owned_sequences(conn):
        statements += [
            f"DROP TRIGGER IF EXISTS club_claim_id ON {ident(table)}",
            f"CREATE TRIGGER club_claim_id BEFORE INSERT ON {ident(table)} FOR EACH ROW"
            f" EXECUTE FUNCTION club_claim_id({literal(ident(sequence))}, {literal(column)})",
        ]
    for function in ("club_others_know(integer, text)", "club_contact_in_use(integer, text)",
                     f"{ADVANCE_SEQUENCE}(regclass, bigint)"):  # fmt: skip
        statements += [f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC",
                       f"GRANT EXECUTE ON FUNCTION {function} TO {ident(group)}"]  # fmt: skip
    for table in private:  # every private table: the in-use check reads some, the sequence's ceiling any
        statements += [
            f"DROP POLICY IF EXISTS club_peek ON {ident(table)}",
            f"CREATE POLICY club_peek ON {ident(table)} FOR SELECT USING (current_user = {literal(admin)}"
            f" AND current_setting('{PEEK_SETTING}', true) = 'on')",
        ]
    statements += [
        "DROP POLICY IF EXISTS club_remove ON club_contact",
        "CREATE POLICY club_remove ON club_contact FOR DELETE USING (NOT club_contact_in_use(id, current_user))",
    ]
    # Deleting through the view (`crm forget`, a merge): this member's relationship goes; the shared row too when
    # nobody else has anything on it.
    mine = []
    for table, _, column, action in references:
        if table not in private:
            continue
        if action == "c":
            mine.append(f"    DELETE FROM {ident(table)} WHERE {ident(column)} = OLD.id AND owner = current_user;")
        else:
            mine.insert(0, f"    UPDATE {ident(table)} SET {ident(column)} = NULL"
                           f" WHERE {ident(column)} = OLD.id AND owner = current_user;")  # fmt: skip
    mine.sort(key=lambda line: "contact_state" in line)  # the state row last: others' rows may refer to it
    body = "\n".join(mine)
    statements += [
        f"""
CREATE OR REPLACE FUNCTION contact_view_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{body}
    IF NOT club_contact_in_use(OLD.id, current_user) THEN
        DELETE FROM club_contact WHERE id = OLD.id;
    END IF;
    RETURN OLD;
END
$$""",
        "DROP TRIGGER IF EXISTS contact_delete ON contact",
        "CREATE TRIGGER contact_delete INSTEAD OF DELETE ON contact FOR EACH ROW"
        " EXECUTE FUNCTION contact_view_delete()",
    ]
    return statements


def _grant(conn, *, group: str, schema: str) -> None:
    g = ident(group)
    s = ident(schema)
    for statement in (
        f"GRANT USAGE ON SCHEMA {s} TO {g}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {g}",
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version, {INFO_TABLE} FROM {g}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {g}",  # no UPDATE (setval): see ADVANCE_SEQUENCE
    ):  # and EXECUTE on the club's functions: `_rules_sql`
        conn.execute(statement)


# -- `crm club init` ----------------------------------------------------------------------------------------------


def init_club(url: str, *, group: str | None = None) -> tuple[str, str, list[str]]:
    """Check, migrate to head (as any crm would), then convert in one transaction under crm's write lock; on a club's
    database, run by its admin, bring the club's rules up to date (`upgrade`) instead.

    Returns (what was done: "made", "updated" or "current", the member group's name, the id sequences an update
    moved back). CrmError (nothing changed) when this role cannot or need not do it."""
    from crm.store.db import prepare_url, said_as_database_problem
    from crm.store.postgres import WRITE_LOCK_KEY, connect

    with said_as_database_problem(url):
        conn = connect(url)
        try:
            problem = _club_refusal(conn, group=group)
            club = problem is None and has_club_info(conn)
            if not club and problem is None:
                problem = refusal(conn, group=group or DEFAULT_GROUP)
        finally:
            conn.close()
        if problem is not None:
            raise CrmError(f"cannot make this database a club's: {problem}")
        if not club:
            prepare_url(url)
        conn = connect(url, autocommit=False)
        try:
            with conn.transaction():
                conn.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
                # again, under the lock: another init may have won
                problem = _club_refusal(conn, group=group) if club else refusal(conn, group=group or DEFAULT_GROUP)
                if problem is not None:
                    raise CrmError(f"cannot make this database a club's: {problem}")
                repaired: list[str] = []
                if club:
                    moved = upgrade(conn)
                    done, repaired = ("current", []) if moved is None else ("updated", moved)
                    group = conn.execute(f"SELECT value FROM {INFO_TABLE} WHERE key = 'group'").fetchone()[0]
                else:
                    group = group or DEFAULT_GROUP
                    convert(conn, group=group)
                    done = "made"
        finally:
            conn.close()
    return done, group, repaired


def _club_refusal(conn, *, group: str | None) -> str | None:
    """On a club's database: why this role may not bring its rules up to date (one line), or None. Only the club's
    admin may (the tables' owner: nobody else could); anyone else is told it is a club's already, as ever."""
    if not has_club_info(conn):
        return None
    info = dict(conn.execute(f"SELECT key, value FROM {INFO_TABLE}").fetchall())
    if conn.execute("SELECT current_user").fetchone()[0] != info.get("admin"):
        return "this database is already a club's: nothing to do (add members with `crm club add-member NAME`)"
    if group is not None and group != info.get("group"):
        return f"this club's member group is {info.get('group')}, not {group}: leave out --group"
    if not conn.execute("SELECT has_schema_privilege(current_schema(), 'CREATE')").fetchone()[0]:
        return (
            f"role {info['admin']} may not create in this database's schema, which bringing the club's rules up to "
            "date needs: ask the server's admin to make it the database's owner (ALTER DATABASE ... OWNER TO)"
        )
    return None
