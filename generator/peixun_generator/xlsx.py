"""Vendor XLSX: xlsxwriter builds the workbook (styles, properties, title, header, blank tail
rows); the data rows' sheet XML is built in bulk by DuckDB and spliced in after the header row.

xlsxwriter's per-cell Python path writes ~100k cells/s, far too slow for 170k-row rosters;
the splice keeps the package xlsxwriter's while the rows are produced vectorised.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import duckdb
import xlsxwriter

from .schema import Entity

SHEET = "xl/worksheets/sheet1.xml"
BLANK_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)" s="([0-9]+)"/>')
EMPTY_TEXT_CELL = rb'<c r="\1" s="\2" t="inlineStr"><is><t></t></is></c>'  # tail rows read as empty text
DATETIME_FORMAT = "yyyy/m/d h:mm:ss"
FREE_TEXT_KINDS = ("text", "name", "place")
FAST_ZIP_ROWS = 50_000  # above this, deflate at level 1 (3x faster, ~25% bigger)


def _letter(i: int) -> str:
    return chr(ord("A") + i)


def _cell_sql(i: int, text: str, value: str | None, style: int | None, free_text: bool) -> str:
    """SQL for one <c> element: a number (value) when present, else an inline string, else nothing.

    Only free-text columns can hold XML specials or edge blanks; codes, dates and flags cannot.
    """
    ref = f"'<c r=\"{_letter(i)}' || __rn || '\""
    if free_text:
        escaped = f"replace(replace(replace({text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
        keep = f"CASE WHEN {text} LIKE ' %' OR {text} LIKE '% ' THEN ' xml:space=\"preserve\"' ELSE '' END"
        string = f"{ref} t=\"inlineStr\"><is><t' || {keep} || '>' || {escaped} || '</t></is></c>'"
    else:
        string = f"{ref} t=\"inlineStr\"><is><t>' || {text} || '</t></is></c>'"
    cell = f"WHEN {text} IS NOT NULL THEN {string}"
    if value:
        s = f" s=\"{style}\"" if style is not None else ""
        cell = f"WHEN {value} IS NOT NULL THEN {ref}{s}><v>' || CAST({value} AS VARCHAR) || '</v></c>' " + cell
    return f"CASE {cell} ELSE '' END"


def write_xlsx(con: duckdb.DuckDBPyConnection, formatted: str, excel: dict[int, str], path: Path,
               entity: Entity, day: dt.date, n_rows: int, trailing: int, scratch: Path) -> None:
    """Write ``formatted`` (header-named columns, ``__xl_<i>`` numbers, ``__pos``) as one XLSX sheet."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    wb.set_properties({"created": dt.datetime(day.year, day.month, day.day, 23, 0, 0), "author": "jjw-export"})
    ws = wb.add_worksheet(entity.file)
    date_format = wb.add_format({"num_format": DATETIME_FORMAT})
    headers = entity.headers("vendor")
    ws.write_string(0, 0, f"{entity.title}（截止{day.year}年{day.month}月{day.day}日）")
    for c, header in enumerate(headers):
        ws.write_string(1, c, header)
    for r in range(n_rows + 2, n_rows + 2 + trailing):  # empty tail rows, as exports often have
        for c in range(len(headers)):
            ws.write_blank(r, c, None, date_format)
    wb.close()

    date_style = date_format.xf_index
    cells = [
        _cell_sql(i, '"' + h + '"', excel.get(i), date_style if col.kind == "datetime" else None,
                  col.kind in FREE_TEXT_KINDS)
        for i, (h, col) in enumerate(zip(headers, entity.columns, strict=True))
    ]
    rows = (f"SELECT '<row r=\"' || __rn || '\">' || {' || '.join(cells)} || '</row>' "
            f"FROM (SELECT *, row_number() OVER (ORDER BY __pos) + 2 AS __rn FROM ({formatted})) ORDER BY __rn")
    con.sql(f"COPY ({rows}) TO '{scratch}' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x01')")
    _splice(path, scratch, 1 if n_rows > FAST_ZIP_ROWS else 6)
    scratch.unlink()


def _splice(path: Path, rows_file: Path, level: int) -> None:
    """Insert the rows file after the header row of the sheet, rewriting the zip deterministically."""
    staged = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(staged, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename != SHEET:
                zout.writestr(info, data)
                continue
            cut = data.index(b"</row>", data.index(b'<row r="2"')) + len(b"</row>")
            sheet = data[:cut] + rows_file.read_bytes() + BLANK_CELL.sub(EMPTY_TEXT_CELL, data[cut:])
            zout.writestr(info, sheet, compresslevel=level)
    staged.replace(path)
