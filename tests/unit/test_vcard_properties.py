"""Hostile input to `crm import vcard` (issue 11, point 11): random bytes, near-misses of real address books and
vCard-shaped token soup either import (and re-importing them changes nothing) or exit 2 with one line and nothing
written; never a traceback, never a hang."""

from __future__ import annotations

import re
import time
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import dump

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "data" / "vcard").glob("*.vcf"))
HANG_GUARD_S = 60  # generous: a hang, not a slow machine, fails this


def _mutated():
    """A real card file with a few bytes replaced, inserted or deleted."""

    def apply(sample: bytes, edits) -> bytes:
        for at, cut, insert in edits:
            at %= len(sample) + 1
            sample = sample[:at] + insert + sample[at + cut :]
        return sample

    edit = st.tuples(st.integers(0, 10_000), st.integers(0, 4), st.binary(max_size=4))
    return st.builds(apply, st.sampled_from([p.read_bytes() for p in SAMPLES]), st.lists(edit, min_size=1, max_size=6))


PIECES = [
    b"BEGIN:VCARD", b"END:VCARD", b"VERSION:2.1", b"VERSION:3.0", b"VERSION:4.0", b"FN:", b"N:", b"N:;;;;",
    b"EMAIL;TYPE=INTERNET;PREF=1:", b"EMAIL:", b"item1.EMAIL:", b"ORG:", b"TITLE:", b"URL:", b"NOTE:", b"TEL:",
    b"CATEGORIES:", b"X-SOCIALPROFILE;TYPE=linkedin:", b"PHOTO;ENCODING=b;TYPE=JPEG:", b"AGENT:BEGIN:VCARD",
    b";ENCODING=QUOTED-PRINTABLE:", b";CHARSET=UTF-8:", b"=0D=0A=", b"=", b"\r\n", b"\n", b"\r\n ", b"\r\n\t", b":",
    b";", b",", b"\\", b"\\n", b"Ana Li", b"Jos\xc3\xa9", b"ana@example.com", b"https://www.linkedin.com/in/ana",
    b"Spotify;Discovery", b"\xef\xbb\xbf", b"\xff\xfe", b"\xff", b"\x00", b"\x1b[2J", b"A" * 200, b"{{ 7*7 }}",
]  # fmt: skip
VCARDISH = st.lists(st.sampled_from(PIECES), max_size=60).map(b"".join)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=400), _mutated(), VCARDISH))
def test_any_bytes_import_cleanly_or_exit_2_with_nothing_written(cli, db_path, tmp_path, data):
    path = tmp_path / "book.vcf"
    path.write_bytes(data)
    before = dump(db_path) if db_path.exists() else None
    started = time.monotonic()
    result = cli("import", "vcard", str(path))
    assert time.monotonic() - started < HANG_GUARD_S
    assert result.code in (0, 2), result
    assert "Traceback" not in result.err
    read = re.search(r"(\d+) added, (\d+) updated, (\d+) unchanged", result.out)
    event(f"exit {result.code}" + (", cards read" if read and any(int(n) for n in read.groups()) else ""))
    if result.code == 2:
        assert len(result.err.strip().splitlines()) == 1 and result.out == ""
        assert before is None or dump(db_path) == before
        return
    imported = dump(db_path)
    again = cli("import", "vcard", str(path))
    assert again.code == 0, again
    assert dump(db_path) == imported, "re-importing the same file must change nothing"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(st.one_of(_mutated(), VCARDISH, st.binary(max_size=100)), min_size=1, max_size=4))
def test_a_folder_of_hostile_files_imports_cleanly_or_exits_2(cli, db_path, tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("cards")
    for i, data in enumerate(files):
        (folder / f"{i}.vcf").write_bytes(data)
    before = dump(db_path) if db_path.exists() else None
    result = cli("import", "vcard", str(folder), "--dry-run")
    assert result.code in (0, 2), result
    assert "Traceback" not in result.err
    assert before is None or dump(db_path) == before  # a dry run writes nothing, whatever it reads


def test_a_huge_file_of_empty_cards_is_read_in_bounded_time(cli, db_path, tmp_path):
    path = tmp_path / "many.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n" * 50_000 + b"BEGIN:VCARD\r\n" + b" x\r\n" * 50_000)
    started = time.monotonic()
    result = cli("import", "vcard", str(path), "--dry-run")
    assert time.monotonic() - started < HANG_GUARD_S
    assert result.code in (0, 2) and "Traceback" not in result.err
