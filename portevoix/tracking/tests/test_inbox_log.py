"""The embedded inbox's segment files: the record format, the segments left by a writer killed
mid-copy, and the segments written in the first (JSON) format."""

import json
import logging
import os
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import pytest

from portevoix.tracking.inbox import INBOX_COLUMNS, inbox_is_postgres, inbox_pending
from portevoix.tracking.inbox_log import (
    FIELDS,
    HEADER,
    SEGMENT_DELETE_AGE,
    SEGMENT_MAX_BYTES,
    LogInboxWriter,
    decode_rows,
    encode_rows,
    records,
    segment_is_finished,
    segment_torn_bytes,
    segments,
)
from portevoix.tracking.ingest import clicks_ingest, log_segments_cleanup
from portevoix.tracking.models import Click
from portevoix.tracking.tests.conftest import FIREFOX, call, click_id_of

ROOT = Path(__file__).resolve().parents[3]
ROW = (
    "Ab3dE5",
    1_765_000_123.654321,
    FIREFOX,
    "https://www.linkedin.com/feed/?q=école",
    "AAAAAAAAAAAAAAAAAAAA",
    "0123456789abcdef" * 2,
    "",
)


def test_the_fields_match_the_inbox_columns():
    assert len(INBOX_COLUMNS) == FIELDS


def test_a_record_keeps_every_field_of_its_clicks(tmp_path):
    other = (
        "Zz9",
        1_765_000_124.0,
        "Mozilla/5.0 (Ünïcode; 日本語)",
        "",
        "B" * 20,
        "f" * 32,
        "jeton",
    )
    writer = LogInboxWriter(tmp_path)
    writer.write([ROW])
    writer.write([ROW, other])
    writer.reset()
    [segment] = segments(tmp_path)
    first, second = records(segment, 0)
    assert second.end == segment.stat().st_size  # a closed segment is cut to its records
    for written, read in zip([ROW, ROW, other], [*first.rows, *second.rows], strict=True):
        assert read[0] == written[0] and read[2:] == list(written[2:])
        assert read[1] == pytest.approx(written[1], abs=1e-6)  # kept to the microsecond
    assert encode_rows([ROW])[:1] == b"\x01"


def test_a_field_holding_a_separator_cannot_shift_the_others():
    damaged = (ROW[0], ROW[1], "agent\x00with a NUL", "https://a.example/\nline", *ROW[4:])
    for rows in ([damaged], [damaged, ROW]):
        decoded = decode_rows(encode_rows(rows))
        assert [len(row) for row in decoded] == [FIELDS] * len(rows)
        assert decoded[0][2:4] == ["agentwith a NUL", "https://a.example/ line"]
        assert decoded[0][4:] == list(ROW[4:])
        assert decoded[0][1] == pytest.approx(ROW[1], abs=1e-6)


def test_a_row_of_another_width_is_read_as_it_was_written():
    assert decode_rows(encode_rows([("only", "three", "fields")])) == [["only", "three", "fields"]]


def json_segment(directory: Path, rows: list) -> Path:
    """A segment as the first format wrote it: length, CRC-32, JSON list of rows."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{int(time.time() * 1000) - 60_000:013d}-0000001-000000001.clicks"
    payload = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()
    path.write_bytes(HEADER.pack(len(payload), zlib.crc32(payload)) + payload)
    return path


def test_a_segment_of_the_json_format_is_still_read(tmp_path):
    path = json_segment(tmp_path, [list(ROW)])
    [record] = records(path, 0)
    assert record.rows == [list(ROW)]


def test_clicks_of_a_json_segment_and_of_the_new_format_are_all_ingested(redirect_app, link):
    """Embedded, or shipped from a web node's spool to PostgreSQL (a JSON record goes in a row
    of its own)."""
    from portevoix.tracking.inbox import inbox_directory

    old = (link.code, time.time() - 30, FIREFOX, "", "J" * 20, "a" * 32, "")
    json_segment(inbox_directory(), [list(old)])
    answer = call(redirect_app, f"/s/{link.code}", ip="198.51.100.9")
    assert inbox_pending() == 2
    assert clicks_ingest().raw == 2
    assert set(Click.objects.values_list("click_id", flat=True)) == {"J" * 20, click_id_of(answer)}


KILLED_WRITER = """
import os, signal, sys
from pathlib import Path
from portevoix.tracking.inbox_log import HEADER, LogInboxWriter, encode_rows
row = {row!r}
writer = LogInboxWriter(Path(sys.argv[1]))
for n in range(3):
    writer.write([row])
# Killed in the middle of the next copy: its payload is in the mapping, its header is not.
payload = encode_rows([row])
start = writer._size + HEADER.size
writer._map[start : start + len(payload) // 2] = payload[: len(payload) // 2]
os.kill(os.getpid(), signal.SIGKILL)
"""


def killed_writer(directory: Path) -> Path:
    """A real writer process, SIGKILLed half-way through copying its fourth record."""
    code = textwrap.dedent(KILLED_WRITER).format(row=ROW)
    result = subprocess.run([sys.executable, "-c", code, str(directory)], cwd=ROOT)
    assert result.returncode == -9
    [segment] = segments(directory)
    return segment


def test_a_torn_last_record_left_by_a_killed_writer_is_not_read(tmp_path):
    segment = killed_writer(tmp_path)
    assert segment.stat().st_size == SEGMENT_MAX_BYTES  # never cut: its writer died
    intact = list(records(segment, 0))
    assert len(intact) == 3
    assert [record.rows[0][4] for record in intact] == [ROW[4]] * 3
    assert segment_torn_bytes(segment, 0) > 0
    assert segment_torn_bytes(segment, intact[-1].end) == segment_torn_bytes(segment, 0)
    old = time.time() - 2 * SEGMENT_DELETE_AGE
    os.utime(segment, (old, old))
    assert segment_is_finished(segment, intact[-1].end)
    assert not segment_is_finished(segment, intact[1].end)  # a record left to read


def test_a_clean_end_reports_nothing_torn(tmp_path):
    writer = LogInboxWriter(tmp_path)
    writer.write([ROW])
    [segment] = segments(tmp_path)
    assert segment.stat().st_size == SEGMENT_MAX_BYTES  # still open: zeros after the record
    assert segment_torn_bytes(segment, 0) == 0
    writer.reset()
    assert segment_torn_bytes(segment, 0) == 0


def test_ingestion_skips_a_torn_record_and_reports_it_when_the_segment_goes(
    transactional_db, inbox_dir, link, caplog
):
    if inbox_is_postgres():
        pytest.skip("the PostgreSQL inbox has no files")
    segment = killed_writer(inbox_dir)
    # The rows carry another link's code: the three intact records are read and consumed
    # (ingestion drops clicks of unknown links), the torn one is not.
    assert inbox_pending() == 3
    assert clicks_ingest().raw == 3
    assert inbox_pending() == 0
    old = time.time() - 2 * SEGMENT_DELETE_AGE
    os.utime(segment, (old, old))
    with caplog.at_level(logging.WARNING, logger="portevoix.tracking.ingest"):
        assert log_segments_cleanup() == 1
    assert not segment.exists()
    [warning] = [r for r in caplog.records if "no intact record" in r.getMessage()]
    assert segment.name in warning.getMessage()


def test_disk_is_reserved_ahead_of_the_records_not_for_the_whole_segment(tmp_path):
    writer = LogInboxWriter(tmp_path)
    writer.write([ROW])
    [segment] = segments(tmp_path)
    reserved = segment.stat().st_blocks * 512
    assert 0 < reserved < SEGMENT_MAX_BYTES // 8
    writer.reset()
    assert segment.stat().st_size == next(records(segment, 0)).end
