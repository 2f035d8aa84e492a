"""Developer tool: autogenerate the next migration from the models (`make migration m="what changed"`)."""

import sys
import tempfile
from pathlib import Path

from alembic import command

from crm.store.db import HEAD_REVISION, alembic_config, open_engine


def main(message: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "head.db"
        open_engine(path).dispose()  # a database at the current head to diff the models against
        config = alembic_config()
        config.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
        rev_id = f"{int(HEAD_REVISION) + 1:04d}"
        command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
    print(f"Now review it, then set HEAD_REVISION = {rev_id!r} in crm/db.py")


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]) or "schema change")
