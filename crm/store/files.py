"""Files crm writes with personal data in them: private to their owner, written whole or not at all."""

from __future__ import annotations


def write_private(path, data: bytes) -> None:
    """Write an export atomically, readable by its owner only (it holds notes about real people)."""
    import os
    import tempfile
    from pathlib import Path

    from crm.errors import CrmError

    target = Path(path)
    if target.is_dir():
        raise CrmError(f"{target} is a folder: give the path of a file to write")
    if not target.parent.is_dir():
        raise CrmError(f"folder {target.parent} does not exist: create it first")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise
