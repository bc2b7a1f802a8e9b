"""Write small export folders for tests, in either dialect, from canonical rows."""

from __future__ import annotations

import csv
from pathlib import Path

import xlsxwriter

from dagster_project.defs.ingest.contract import load_config


def headers(dialect: str, entity: str) -> dict[str, str]:
    """Canonical column -> the dialect's (first) header."""
    spec = load_config().dialects[dialect].headers[entity]
    return {column: aliases[0] for column, aliases in spec.items()}


def write_csv(folder: Path, entity: str, rows: list[dict], dialect: str = "city", name: str | None = None,
              encoding: str | None = None) -> Path:
    """A CSV export: UTF-8 with BOM for city, GB18030 for vendor. Missing keys write empty cells."""
    names = headers(dialect, entity)
    columns = [c for c in names if any(c in r for r in rows)] or list(names)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or load_config().entities[entity].file}.csv"
    with path.open("w", encoding=encoding or ("utf-8-sig" if dialect == "city" else "gb18030"), newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([names[c] for c in columns])
        writer.writerows([[r.get(c, "") for c in columns] for r in rows])
    return path


def write_xlsx(folder: Path, entity: str, rows: list[dict], title: str = "数据导出（截止2022年9月19日）",
               name: str | None = None, trailing_blank_rows: int = 2) -> Path:
    """A vendor XLSX export: a title in row 1, the header in row 2, trailing empty rows."""
    names = headers("vendor", entity)
    columns = [c for c in names if any(c in r for r in rows)] or list(names)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or load_config().entities[entity].file}.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheet.write(0, 0, title)
    sheet.write_row(1, 0, [names[c] for c in columns])
    for i, row in enumerate(rows, start=2):
        for j, column in enumerate(columns):
            value = row.get(column, "")
            if hasattr(value, "year"):
                sheet.write_datetime(i, j, value, date_format)
            elif isinstance(value, int | float):
                sheet.write_number(i, j, value)
            else:
                sheet.write_string(i, j, str(value))
    for k in range(trailing_blank_rows):
        sheet.write_string(len(rows) + 2 + k, 0, "")
    book.close()
    return path
