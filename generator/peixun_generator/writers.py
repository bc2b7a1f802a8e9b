"""Dialect writers: typed snapshot frames -> city CSV (UTF-8 BOM) or vendor XLSX / GB18030 CSV.

Formatting is SQL (DuckDB, vectorised). CSVs stream out as Arrow record batches written by
pyarrow.csv, each batch (whole lines) transcoded in bulk; vendor tables up to XLSX_MAX_ROWS rows
become XLSX (see ``xlsx.py``).
"""

from __future__ import annotations

import codecs
import datetime as dt
import shutil
import tempfile
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .constants import XLSX_MAX_ROWS
from .schema import DIALECTS, ID_FORMATS, Column, Entity
from .schema import header as header_of
from .xlsx import write_xlsx

BATCH_ROWS = 500_000  # ~50 MB of CSV per transcoded block
# Exported values never hold commas, quotes or newlines; pyarrow raises if one ever did.
CSV_OPTIONS = pacsv.WriteOptions(include_header=False, quoting_style="none")
FULL_WIDTH = "'0123456789', '０１２３４５６７８９'"
EXCEL_EPOCH_DAYS = 25569  # 1970-01-01 as an Excel serial day


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _vendor_noise(c: str, kind: str) -> str:
    """~2% of cells get a trailing blank, a trailing/inner full-width space (U+3000)."""
    inner = f"substr({c}, 1, 1) || '　' || substr({c}, 2)" if kind == "name" else f"'　' || {c}"
    return (f"CASE WHEN __noise < 0.007 THEN {c} || ' ' WHEN __noise < 0.014 THEN {c} || '　' "
            f"WHEN __noise < 0.02 THEN {inner} ELSE {c} END")


def column_sql(col: Column, source: str, xlsx: bool) -> tuple[str, str | None]:
    """(text expression, Excel cell value expression or None) for one column."""
    c = _q(col.name)
    vendor = DIALECTS[source] == "vendor"
    excel = None
    if col.kind == "id":
        prefix, width = ID_FORMATS[source][col.name]
        text = f"{_sql_text(prefix)} || lpad(CAST(NULLIF({c}, 0) AS VARCHAR), {width}, '0')"
    elif col.kind in ("name", "place"):
        text = _vendor_noise(c, col.kind) if vendor else c
    elif col.kind == "text":
        text = f"CAST({c} AS VARCHAR)"
    elif col.kind == "yn":
        text = (f"CASE WHEN {c} THEN 'Y' WHEN __alt < 0.5 THEN 'N' END" if vendor
                else f"CASE WHEN {c} THEN '是' ELSE '否' END")
    elif col.kind == "paid":
        yes, no = ("已支付", "未支付") if vendor else ("是", "否")
        text = f"CASE WHEN {c} THEN '{yes}' ELSE '{no}' END"
    elif col.kind == "result":
        yes, no = ("通过", "未通过") if vendor else ("是", "否")
        text = f"CASE {c} WHEN 1 THEN '{yes}' WHEN 0 THEN '{no}' END"
    elif col.kind == "percent":
        if vendor:
            text = (f"CAST({c} // 10 AS VARCHAR) || CASE WHEN {c} % 10 <> 0 THEN '.' || CAST({c} % 10 AS VARCHAR)"
                    f" ELSE '' END || '%'")
            text = f"CASE WHEN __alt < 0.005 THEN translate({text}, {FULL_WIDTH}) ELSE {text} END"
        else:
            text = f"CAST(CAST(ceil({c} / 10) AS BIGINT) AS VARCHAR)"
    elif col.kind in ("hours", "number"):
        text = f"CAST({c} AS VARCHAR)"
        if vendor and col.kind == "hours":
            text = f"CASE WHEN __alt > 0.995 THEN translate({text}, {FULL_WIDTH}) ELSE {text} END"
        if xlsx:
            full = "__alt > 0.995" if col.kind == "hours" else "false"
            excel = f"CASE WHEN NOT ({full}) THEN CAST({c} AS BIGINT) END"
            text = f"CASE WHEN {full} THEN {text} END"
    elif col.kind == "date":  # a calendar day (as text in both dialects)
        text = f"strftime({c}, '%Y/%-m/%-d')" if vendor else f"strftime({c}, '%Y-%m-%d')"
    elif col.kind == "datetime":
        if not vendor:
            text = f"strftime({c}, '%Y-%m-%d %H:%M:%S')"
        elif xlsx:
            excel = f"CASE WHEN __sel < 0.85 THEN epoch({c}) / 86400.0 + {EXCEL_EPOCH_DAYS} END"
            text = (f"CASE WHEN __sel < 0.85 THEN NULL WHEN __sel < 0.95 THEN strftime({c}, '%Y/%-m/%-d %H:%M:%S') "
                    f"ELSE strftime({c}, '%Y年%-m月%-d日') END")
        else:
            text = (f"CASE WHEN __sel < 0.75 THEN strftime({c}, '%Y/%-m/%-d %H:%M:%S') "
                    f"WHEN __sel < 0.9 THEN strftime({c}, '%Y/%-m/%-d') ELSE strftime({c}, '%Y年%-m月%-d日') END")
    else:
        raise ValueError(f"unknown column kind {col.kind}")
    return text, excel


def _select_list(entity: Entity, source: str, xlsx: bool, constants: dict[str, str],
                 overrides: set[str]) -> tuple[str, dict[int, str]]:
    """Formatted columns named by the dialect's headers, plus ``__xl_<i>`` Excel values for XLSX.

    ``overrides`` are columns whose ``ov_<name>`` raw text (trap rows) replaces the formatting.
    Returns the select list and {column index: Excel value column}.
    """
    dialect = DIALECTS[source]
    selects, excel = [], {}
    for i, col in enumerate(entity.columns):
        header = _q(header_of(dialect, entity.name, col.name))
        if col.name in constants:
            selects.append(f"{_sql_text(constants[col.name])} AS {header}")
            continue
        text, value = column_sql(col, source, xlsx)
        if col.name in overrides:
            ov = _q("ov_" + col.name)
            text = f"CASE WHEN {ov} IS NOT NULL THEN NULLIF({ov}, '') ELSE {text} END"
            value = value and f"CASE WHEN {ov} IS NULL THEN {value} END"
        selects.append(f"{text} AS {header}")
        if value:
            selects.append(f"{value} AS __xl_{i}")
            excel[i] = f"__xl_{i}"
    return ", ".join(selects), excel


class ExportWriter:
    """Writes entity files under ``out/<source>/<export_date>/`` and records rows per file.

    ``write`` draws all randomness and builds the SQL on the calling thread (so output is
    deterministic), then hands the query and file output to a 2-thread pool: DuckDB, pyarrow and
    zlib release the GIL, so two files are produced at once.
    """

    def __init__(self, out: Path, rng: np.random.Generator, threads: int = 2):
        self.out = out
        self.rng = rng
        self.tmp = Path(tempfile.mkdtemp(prefix="gen_"))
        self.con = duckdb.connect(config={
            "threads": threads, "preserve_insertion_order": True, "memory_limit": "3GB",
            "temp_directory": str(self.tmp / "spill"),
        })
        self.con.sql("SET enable_progress_bar = false")
        self.threads = threads
        self.pool = ThreadPoolExecutor(max_workers=threads)
        self.pending: deque[Future] = deque()
        self.written: dict[str, int] = {}

    def close(self) -> None:
        """Wait for every file (re-raising the first failure), then release resources."""
        try:
            while self.pending:
                self.pending.popleft().result()
        finally:
            self.pool.shutdown(cancel_futures=True)
            self.con.close()
            shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, source: str, day: dt.date, entity: Entity, frame: pd.DataFrame,
              traps: pd.DataFrame | None = None, constants: dict[str, str] | None = None,
              suffix: str | None = None) -> Path:
        """Format ``frame`` (+ trap rows, interleaved by ``__pos``) in the source's dialect; write one file."""
        constants = constants or {}
        dialect = DIALECTS[source]
        traps = traps if traps is not None and len(traps) else None
        n_rows = len(frame) + (0 if traps is None else len(traps))
        xlsx = dialect == "vendor" and n_rows <= XLSX_MAX_ROWS
        stem = entity.file + (f"_{suffix or day.strftime('%Y%m%d')}" if dialect == "vendor" else "")
        path = self.out / source / day.isoformat() / f"{stem}.{'xlsx' if xlsx else 'csv'}"
        path.parent.mkdir(parents=True, exist_ok=True)

        tables = {"main_rows": self._with_selectors(frame, np.arange(0, 2 * len(frame), 2, dtype=np.int64))}
        select, excel = _select_list(entity, source, xlsx, constants, set())
        main_sql = f"SELECT {select}, __pos FROM main_rows"
        trap_sql = None
        if traps is not None:
            tables["trap_rows"] = self._with_selectors(traps, traps["__pos"].to_numpy().astype(np.int64))
            overrides = {c[3:] for c in traps.columns if c.startswith("ov_")}
            trap_select, _ = _select_list(entity, source, xlsx, constants, overrides)
            trap_sql = f"SELECT {trap_select}, __pos FROM trap_rows ORDER BY __pos"
        if xlsx:
            trailing = int(self.rng.integers(1, 4))
            scratch = self.tmp / f"rows_{len(self.written)}.xml"
            formatted = main_sql if trap_sql is None else f"{main_sql} UNION ALL ({trap_sql})"

            def emit(con: duckdb.DuckDBPyConnection) -> None:
                write_xlsx(con, formatted, excel, path, entity, day, n_rows, trailing, scratch)
        else:
            encoding = "gb18030" if dialect == "vendor" else "utf-8-sig"

            def emit(con: duckdb.DuckDBPyConnection) -> None:
                trap_rows = None if trap_sql is None else con.sql(trap_sql).to_arrow_table()
                write_csv(con.sql(main_sql).to_arrow_reader(BATCH_ROWS), trap_rows, entity.headers(dialect),
                          path, encoding)
        while len(self.pending) >= self.threads:
            self.pending.popleft().result()
        self.pending.append(self.pool.submit(self._run, tables, emit))
        self.written[path.relative_to(self.out).as_posix()] = n_rows
        return path

    def _run(self, tables: dict[str, pd.DataFrame], emit: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
        with self.con.cursor() as con:
            for name, table in tables.items():
                con.register(name, table)
            emit(con)

    def _with_selectors(self, frame: pd.DataFrame, pos: np.ndarray) -> pd.DataFrame:
        """Add the sort key and the per-row random selectors used by the dialect formatting."""
        n = len(frame)
        return frame.assign(
            __pos=pos,
            __sel=self.rng.random(n, dtype=np.float32),
            __alt=self.rng.random(n, dtype=np.float32),
            __noise=self.rng.random(n, dtype=np.float32),
        )


def write_csv(main: pa.RecordBatchReader, traps: pa.Table | None, headers: list[str], path: Path,
              encoding: str) -> None:
    """Stream the (ordered) main batches to CSV, slotting each trap row in by ``__pos``.

    No global sort: the main rows already come in order and traps are few. Each batch is whole
    lines, transcoded in bulk.
    """
    trap_pos = np.empty(0, dtype=np.int64) if traps is None else traps["__pos"].to_numpy()
    done = 0
    with open(path, "wb") as out:
        if encoding == "utf-8-sig":
            out.write(codecs.BOM_UTF8)
        out.write((",".join(headers) + "\n").encode(encoding.removesuffix("-sig")))

        def emit(table: pa.Table) -> None:
            sink = pa.BufferOutputStream()
            pacsv.write_csv(table.drop_columns(["__pos"]), sink, CSV_OPTIONS)
            data = sink.getvalue().to_pybytes()
            out.write(data if encoding == "utf-8-sig" else data.decode("utf-8").encode(encoding))

        for batch in main:
            table = pa.Table.from_batches([batch])
            upto = int(np.searchsorted(trap_pos, batch["__pos"][-1].as_py())) if batch.num_rows else done
            if upto > done:
                table = pa.concat_tables([table, traps.slice(done, upto - done)])
                table = table.take(pc.sort_indices(table["__pos"]))
                done = upto
            emit(table)
        if done < trap_pos.size:
            emit(traps.slice(done))
