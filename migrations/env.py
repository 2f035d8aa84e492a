"""Alembic environment: targets SQLModel's metadata; SQLite needs batch mode for ALTERs."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import crm.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from crm.search import is_index_table

config = context.config
target_metadata = SQLModel.metadata


def include_name(name, type_, parent_names) -> bool:
    """Autogenerate compares the models' tables only: the FTS5 search index (0004) is raw SQL."""
    return not (type_ == "table" and is_index_table(name))


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("crm migrations run online only: use `crm db upgrade`")
run_migrations_online()
