"""Read one export file, CSV or XLSX, in bulk into an Arrow table of strings.

Every cell stays text here (parsing is DuckDB's job, see parse.py); each row
keeps the line number it has in the file, so quarantine can point at it.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

HEADER_SEARCH_ROWS = 10


class ExportReadError(Exception):
    """The file cannot be read at all; the message names the file and why."""


@dataclass
class RawTable:
    """A file's header, its rows as NFKC-folded strings (c0..cN, plus `_line`), and rows the reader rejected."""

    header: list[str]
    rows: pa.Table
    encoding: str
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (line, reason, raw text)


def fold_width(table: pa.Table) -> pa.Table:
    """Unicode NFKC on every text cell: full-width digits, letters, %, spaces become ASCII."""
    return pa.table([pc.utf8_normalize(col, "NFKC") for col in table.columns], names=table.column_names)


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the head decodes as UTF-8, otherwise GB18030."""
    head = path.open("rb").read(1 << 16)
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


def read_csv(path: Path) -> RawTable:
    encoding = detect_encoding(path)
    try:
        header = _csv_header(path, encoding)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ExportReadError(f"{path}: line 1: cannot read the header as {encoding} CSV ({exc})") from exc
    names = [f"c{i}" for i in range(len(header))]
    convert = pacsv.ConvertOptions(
        column_types={n: pa.string() for n in names}, strings_can_be_null=False, quoted_strings_can_be_null=False
    )
    arrow_encoding = "utf8" if encoding.startswith("utf-8") else encoding
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, encoding=arrow_encoding),
            convert_options=convert,
        )
        lines = np.arange(2, table.num_rows + 2, dtype=np.int64)
        rejected: list[tuple[int, str, str]] = []
    except pa.ArrowInvalid:
        table, lines, rejected = _read_csv_tolerant(path, names, convert, arrow_encoding)
    except (UnicodeDecodeError, OSError) as exc:
        raise ExportReadError(f"{path}: cannot read as {encoding} CSV ({exc})") from exc
    return RawTable(header, fold_width(table).append_column("_line", pa.array(lines)), encoding, rejected)


def _read_csv_tolerant(path: Path, names: list[str], convert: pacsv.ConvertOptions, encoding: str):
    """Single-threaded read that keeps going past malformed rows and records their line numbers."""
    rejected: list[tuple[int, str, str]] = []

    def reject(row: pacsv.InvalidRow) -> str:
        reason = f"expected {row.expected_columns} fields, found {row.actual_columns}"
        rejected.append((row.number, reason, row.text))
        return "skip"

    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, encoding=encoding, use_threads=False),
            convert_options=convert,
            parse_options=pacsv.ParseOptions(invalid_row_handler=reject),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise ExportReadError(f"{path}: cannot parse as CSV ({exc})") from exc
    skipped = np.array(sorted(line for line, _, _ in rejected), dtype=np.int64)
    all_lines = np.arange(2, table.num_rows + len(skipped) + 2, dtype=np.int64)
    return table, np.setdiff1d(all_lines, skipped, assume_unique=True), rejected


def read_xlsx(path: Path, header_score) -> RawTable:
    """Read the first sheet; the header is the row among the first ten that `header_score` likes best."""
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
    return RawTable(header, body.append_column("_line", pa.array(lines)), "xlsx")
