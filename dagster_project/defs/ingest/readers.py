"""Read one export file, CSV or XLSX, into Arrow tables of strings, block by block.

Every cell stays text here (parsing is DuckDB's job, see parse.py); each row
keeps the line number it has in the file, so quarantine can point at it. A CSV
file is read in blocks of BLOCK_BYTES, so its size does not set the memory the
read needs; an XLSX workbook (smaller) is one block.

CSV blocks are parsed on all cores. A parallel parse cannot say on which line a
malformed row (wrong number of fields) sits, so a file that has one is read
again serially, which can: rare, and only for that file.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

HEADER_SEARCH_ROWS = 10
BLOCK_BYTES = 64 << 20


class ExportReadError(Exception):
    """The file cannot be read at all; the message names the file and why."""


class LinesUnknown(Exception):
    """A parallel CSV read met a malformed row; only a serial read can number its line."""


@dataclass
class RawFile:
    """A file's header and its rows as NFKC-folded strings (c0..cN, plus `_line`), in blocks.

    `read(parallel)` yields the blocks; a parallel read raises LinesUnknown at the first
    malformed row, and the caller reads again with parallel=False. `rejected` (line, reason,
    raw text) holds the rows the serial reader could not split into the header's fields; it is
    complete once every block has been read.
    """

    header: list[str]
    encoding: str
    read: Callable[[bool], Iterator[pa.Table]]
    rejected: list[tuple[int, str, str]] = field(default_factory=list)


def fold_width(table: pa.Table) -> pa.Table:
    """Unicode NFKC on every text cell: full-width digits, letters, %, spaces become ASCII.

    A column of ASCII text is already folded; NFKC runs on the others only.
    """
    columns = [col if pc.all(pc.string_is_ascii(col)).as_py() is not False else pc.utf8_normalize(col, "NFKC")
               for col in table.columns]
    return pa.table(columns, names=table.column_names)


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the head decodes as UTF-8, otherwise GB18030."""
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def _csv_header(path: Path, encoding: str) -> list[str]:
    with path.open(encoding=encoding, newline="") as fh:
        header = next(csv.reader(fh), [])
    if not any(cell.strip() for cell in header):
        raise ExportReadError(f"{path}: line 1: expected a header row, found an empty line")
    return [cell.strip() for cell in header]


def read_csv(path: Path) -> RawFile:
    """The header now; the rows block by block when read. Malformed rows are rejected, not fatal."""
    encoding = detect_encoding(path)
    try:
        header = _csv_header(path, encoding)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ExportReadError(f"{path}: line 1: cannot read the header as {encoding} CSV ({exc})") from exc
    rejected: list[tuple[int, str, str]] = []
    return RawFile(header, encoding, lambda parallel: _csv_blocks(path, len(header), encoding, rejected, parallel),
                   rejected)


def _csv_blocks(path: Path, width: int, encoding: str, rejected: list[tuple[int, str, str]],
                parallel: bool) -> Iterator[pa.Table]:
    """Rows in blocks, each with its physical line; rows with the wrong number of fields go to `rejected`.

    Kept rows take the lines in between the rejected ones, in order, so rejected rows must carry
    their line numbers: a parallel read gives up (LinesUnknown) at the first one.
    """
    names = [f"c{i}" for i in range(width)]
    unnumbered: list[str] = []

    def reject(row: pacsv.InvalidRow) -> str:
        if row.number is None:
            unnumbered.append(row.text)
            return "error"  # the read stops here; raised below as LinesUnknown
        rejected.append((row.number, f"expected {row.expected_columns} fields, found {row.actual_columns}", row.text))
        return "skip"

    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=parallel,
                                           block_size=BLOCK_BYTES,
                                           encoding="utf8" if encoding.startswith("utf-8") else encoding),
            parse_options=pacsv.ParseOptions(invalid_row_handler=reject),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
        next_line = 2
        for batch in reader:
            lines = _kept_lines(next_line, batch.num_rows, [line for line, _, _ in rejected if line >= next_line])
            next_line = int(lines[-1]) + 1 if len(lines) else next_line
            yield fold_width(pa.Table.from_batches([batch])).append_column("_line", pa.array(lines))
    except pa.ArrowInvalid as exc:
        if unnumbered:
            raise LinesUnknown(f"{path}: a row has the wrong number of fields: {unnumbered[0][:80]}") from None
        raise ExportReadError(f"{path}: cannot parse as CSV ({exc})") from exc
    except (UnicodeDecodeError, OSError) as exc:
        raise ExportReadError(f"{path}: cannot read as {encoding} CSV ({exc})") from exc


def _kept_lines(first: int, count: int, skipped: list[int]) -> np.ndarray:
    """The first `count` line numbers from `first` on that are not in `skipped`."""
    candidates = np.arange(first, first + count + len(skipped), dtype=np.int64)
    return np.setdiff1d(candidates, np.array(skipped, dtype=np.int64), assume_unique=True)[:count]


def read_xlsx(path: Path, header_score) -> RawFile:
    """Read the first sheet, as one block; the header is the row among the first ten that `header_score` likes best."""
    try:
        sheet = fastexcel.read_excel(path).load_sheet(0, header_row=None, dtypes="string")
        table = pa.table(sheet.to_arrow())
    except Exception as exc:  # fastexcel raises its own error types for corrupt workbooks
        raise ExportReadError(f"{path}: cannot read as an XLSX workbook ({exc})") from exc
    head = table.slice(0, HEADER_SEARCH_ROWS).to_pylist()
    candidates = [[("" if v is None else str(v).strip()) for v in row.values()] for row in head]
    if not candidates:
        raise ExportReadError(f"{path}: sheet 1 is empty; expected a header row")
    scores = [header_score(row) for row in candidates]
    header_index = int(np.argmax(scores))
    header = candidates[header_index]
    while header and header[-1] == "":
        header.pop()
    body = table.slice(header_index + 1).select(list(range(len(header))))
    body = body.rename_columns([f"c{i}" for i in range(len(header))])
    body = fold_width(pa.table([pc.fill_null(col, "") for col in body.columns], names=body.column_names))
    lines = np.arange(header_index + 2, header_index + 2 + body.num_rows, dtype=np.int64)
    block = body.append_column("_line", pa.array(lines))
    return RawFile(header, "xlsx", lambda parallel: iter([block]))
