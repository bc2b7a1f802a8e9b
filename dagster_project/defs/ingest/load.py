"""Load one export file as its unit (source x export date x entity) into DuckDB, atomically.

Raw rows in = rows loaded + rows quarantined, for every file. Loading a file
that is already loaded for its unit (same stamp, or same checksum) changes nothing; a different
file for a loaded unit (a re-delivery) replaces that unit's rows in one
transaction; a file that cannot be read leaves the previous good load in place. So does a file
whose failing rows exceed the share config/ingest.yml allows (a format change, not a few bad
rows): it is rejected whole, every row of it in quarantine (the failing ones with their reasons,
the others held back), nothing in landing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dagster_project.defs.ingest.contract import Config, Dialect, Entity
from dagster_project.defs.ingest.discover import ExportUnit
from dagster_project.defs.ingest.parse import RAW_CHARS, duplicates_query, header_score, map_columns, typed_query
from dagster_project.defs.ingest.readers import ExportReadError, LinesUnknown, RawFile, read_csv, read_xlsx
from dagster_project.lib.pseudonym import use_key

HELD_BACK = "held back"  # the rule of a row that parsed, in a rejected file
REASONS_IN_MESSAGE = 3


@dataclass
class LoadResult:
    unit: ExportUnit
    status: str  # loaded | unchanged | failed | rejected
    message: str = ""
    dialect: str = ""
    raw_rows: int = 0
    loaded_rows: int = 0
    quarantined_rows: int = 0
    seconds: float = 0.0
    newer_failures: tuple[LoadResult, ...] = ()  # newer deliveries of the unit that failed or were rejected


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _choose_dialect(unit: ExportUnit, entity: Entity, header: list[str], config: Config) -> tuple[Dialect, str]:
    """The configured dialect of the source, or the one whose headers match best."""
    configured = config.sources.get(unit.source)
    if configured:
        if configured not in config.dialects:
            raise ExportReadError(f"{unit.file}: source {unit.source} names unknown dialect {configured!r}")
        return config.dialects[configured], "configured"
    scores = {name: header_score(header, entity, d) for name, d in config.dialects.items()}
    best = max(scores, key=scores.get)
    if scores[best] == 0:
        raise ExportReadError(
            f"{unit.file}: line 1: unknown dialect; the header matches no configured dialect for {entity.file} "
            f"(header: {', '.join(header[:8])})"
        )
    return config.dialects[best], f"recognised from headers ({scores[best]}/{len(entity.columns)} columns)"


def _read(unit: ExportUnit, entity: Entity, config: Config) -> tuple[RawFile, Dialect, str]:
    if unit.file.suffix.lower() == ".xlsx":
        configured = config.dialects.get(config.sources.get(unit.source, ""))
        dialects = [configured] if configured else list(config.dialects.values())
        raw = read_xlsx(unit.file, lambda row: max(header_score(row, entity, d) for d in dialects))
    else:
        raw = read_csv(unit.file)
    dialect, how = _choose_dialect(unit, entity, raw.header, config)
    return raw, dialect, how


def _stage(con: duckdb.DuckDBPyConnection, raw: RawFile, relation: str) -> int:
    """Append the file's blocks to the temp table `relation` (c0..cN text, _line); the number of rows read.

    DuckDB holds the file from here on, within its memory limit (spilling beyond it), so only
    one block at a time is in Arrow. A CSV is parsed in parallel, and again serially when it has
    a malformed row (whose line only a serial read can number).
    """
    cells = ", ".join(f"c{i} varchar" for i in range(len(raw.header)))
    con.execute(f"create temp table {relation} ({cells}, _line bigint)")
    try:
        try:
            return _append(con, raw.read(True), relation)
        except LinesUnknown:
            con.execute(f"delete from {relation}")
            raw.rejected.clear()
            return _append(con, raw.read(False), relation)
    except BaseException:
        con.execute(f"drop table {relation}")
        raise


def _append(con: duckdb.DuckDBPyConnection, blocks, relation: str) -> int:
    rows = 0
    for block in blocks:
        con.register(f"{relation}_block", block)
        try:
            con.execute(f"insert into {relation} select * from {relation}_block")
        finally:
            con.unregister(f"{relation}_block")
        rows += block.num_rows
    return rows


@dataclass(frozen=True)
class FileStamp:
    """What the file system says of a file: enough to tell, without reading it, that it has not changed."""

    path: str
    bytes: int
    modified_ns: int

    @classmethod
    def of(cls, path: Path) -> FileStamp:
        stat = path.stat()
        return cls(str(path), stat.st_size, stat.st_mtime_ns)


@dataclass(frozen=True)
class InForce:
    """The load in force of a unit, as the manifest has it."""

    load_id: str
    run_id: str
    sha256: str
    stamp: FileStamp

    @property
    def stays(self) -> str:
        return f"; the load in force ({Path(self.stamp.path).name}, loaded in run {self.run_id}) stays"


def in_force(con: duckdb.DuckDBPyConnection, unit: ExportUnit) -> InForce | None:
    row = con.execute(
        "select load_id, run_id, sha256, source_file, bytes, modified_ns from ingest.load_manifest "
        "where source_name = ? and export_date = ? and entity = ? and status = 'loaded'",
        [unit.source, unit.export_date, unit.entity],
    ).fetchall()
    return InForce(row[0][0], row[0][1], row[0][2], FileStamp(*row[0][3:])) if row else None


def record(con, load_id, run_id, unit, path, status, message, now, **figures) -> None:
    stamp = figures.get("stamp")
    con.execute(
        """insert into ingest.load_manifest (load_id, run_id, source_name, export_date, entity, source_file,
               dialect, encoding, sha256, bytes, modified_ns, raw_rows, blank_rows, loaded_rows, quarantined_rows,
               status, message, loaded_at, seconds)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            load_id, run_id, unit.source, unit.export_date, unit.entity, str(path),
            figures.get("dialect"), figures.get("encoding"), figures.get("sha256"),
            stamp and stamp.bytes, stamp and stamp.modified_ns,
            figures.get("raw_rows"), figures.get("blank_rows"), figures.get("loaded_rows"),
            figures.get("quarantined_rows"), status, message, now, figures.get("seconds"),
        ],
    )


def record_problem(con: duckdb.DuckDBPyConnection, raw_dir: Path, path: Path, why: str, run_id: str,
                   status: str = "failed") -> None:
    """A file or folder that could not be placed in any export unit fails visibly (or, skipped, is noted)."""
    parts = path.relative_to(raw_dir).parts if path.is_relative_to(raw_dir) else (str(path),)
    con.execute(
        "insert into ingest.load_manifest (load_id, run_id, source_name, source_file, status, message, loaded_at) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [uuid.uuid4().hex, run_id, parts[0] if parts else "", str(path), status, f"{path}: {why}", dt.datetime.now()],
    )


def load_unit(
    con: duckdb.DuckDBPyConnection, unit: ExportUnit, config: Config, salt: str, run_id: str, force: bool = False,
    note: str = "",
) -> LoadResult:
    """Load one unit's file (again if `force`); a failure is recorded against its file and the previous load stays.

    `note` heads the manifest message of a load (why this file is in force).
    """
    try:
        return _load_unit(con, unit, config, salt, run_id, force, note)
    except (duckdb.Error, OSError, ValueError) as exc:
        message = f"{unit.file}: load failed ({type(exc).__name__}: {str(exc).splitlines()[0]})"
        record(con, uuid.uuid4().hex, run_id, unit, unit.file, "failed", message, dt.datetime.now())
        return LoadResult(unit, "failed", message)


def _load_unit(
    con: duckdb.DuckDBPyConnection, unit: ExportUnit, config: Config, salt: str, run_id: str, force: bool, note: str
) -> LoadResult:
    started = time.perf_counter()
    entity = config.entities[unit.entity]
    # Unchanged when the load in force has the same path, size and modification time (decided without
    # reading the file, as rsync and git do) or else the same checksum: a file copied in again with the
    # same content keeps its load and gets its new stamp, so the next night skips it without reading.
    stamp = FileStamp.of(unit.file)
    current = in_force(con, unit)
    if not force and current is not None and current.stamp == stamp:
        return LoadResult(unit, "unchanged", "same file, size and modification time as the load in force")
    sha = file_sha256(unit.file)
    if not force and current is not None and current.sha256 == sha:
        if current.stamp.path == stamp.path:
            con.execute("update ingest.load_manifest set bytes = ?, modified_ns = ? where load_id = ?",
                        [stamp.bytes, stamp.modified_ns, current.load_id])
        return LoadResult(unit, "unchanged", "same checksum as the load in force")
    stays = current.stays if current is not None else ""
    load_id = uuid.uuid4().hex
    relation, duplicates, typed = f"raw_{load_id}", f"duplicates_{load_id}", f"typed_{load_id}"
    try:
        raw, dialect, how = _read(unit, entity, config)
        mapped = map_columns(raw.header, entity, dialect, str(unit.file))
        read_rows = _stage(con, raw, relation)
    except ExportReadError as exc:
        record(con, load_id, run_id, unit, unit.file, "failed", str(exc) + stays, dt.datetime.now(), sha256=sha)
        return LoadResult(unit, "failed", str(exc) + stays, seconds=time.perf_counter() - started)

    try:
        con.execute(f"create temp table {duplicates} as {duplicates_query(relation, mapped, entity)}")
        use_key(con, salt)
        con.execute(f"create temp table {typed} as "
                    f"{typed_query(relation, duplicates, mapped, entity, dialect, config)}")
    finally:
        con.execute(f"drop table if exists {relation}; drop table if exists {duplicates}")
    ((parsed, failing),) = con.execute(f"select count(*), count(_errors) from {typed}").fetchall()
    raw_rows = parsed + len(raw.rejected)  # non-blank data rows; wholly empty rows are counted apart
    failed_rows = failing + len(raw.rejected)
    figures = {
        "dialect": dialect.name, "encoding": raw.encoding, "sha256": sha, "stamp": stamp, "raw_rows": raw_rows,
        "blank_rows": read_rows + len(raw.rejected) - raw_rows,
    }
    rejected = config.reject.rejects(raw_rows, failed_rows)
    where_unit = "source_name = ? and export_date = ? and entity = ?"
    unit_args = [unit.source, unit.export_date, unit.entity]
    # What this load replaces: the load in force (unless this file is rejected), and an earlier rejection
    # of this same file (its rows in quarantine give way to the new attempt's).
    in_force_too = "" if rejected else " or status = 'loaded'"
    replaced = f"{where_unit} and (status = 'rejected' and source_file = ?{in_force_too})"
    try:
        con.execute("begin transaction")
        con.execute("delete from ingest.quarantine where load_id in "
                    f"(select load_id from ingest.load_manifest where {replaced})", [*unit_args, str(unit.file)])
        con.execute(f"update ingest.load_manifest set status = 'replaced' where {replaced}",
                    [*unit_args, str(unit.file)])
        if rejected:
            loaded = 0
        else:
            stored = ", ".join(f'"{c.stored_name}"' for c in entity.columns)
            con.execute(f"delete from landing.{entity.name} where source_name = ? and export_date = ?", unit_args[:2])
            ((loaded,),) = con.execute(
                f"""insert into landing.{entity.name} (load_id, source_name, export_date, {stored}, source_line)
                    select ?, ?, ?, {stored}, _line from {typed} where _errors is null""",
                [load_id, unit.source, unit.export_date],
            ).fetchall()
        quarantined = _quarantine(con, typed, raw, load_id, unit, held_back=rejected)
        figures.update(loaded_rows=loaded, quarantined_rows=quarantined, seconds=time.perf_counter() - started)
        if rejected:
            message = _rejection(con, load_id, raw_rows, failed_rows, config.reject.limit_for(raw_rows)) + stays
            record(con, load_id, run_id, unit, unit.file, "rejected", message, dt.datetime.now(), **figures)
        else:
            message = f"{note}; {how}" if note else how
            record(con, load_id, run_id, unit, unit.file, "loaded", message, dt.datetime.now(), **figures)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.execute(f"drop table if exists {typed}")
    return LoadResult(unit, "rejected" if rejected else "loaded", message, dialect.name, raw_rows, loaded,
                      quarantined, figures["seconds"])


def _quarantine(con: duckdb.DuckDBPyConnection, typed: str, raw: RawFile, load_id: str, unit: ExportUnit,
                held_back: bool) -> int:
    """Rows that failed (with every reason, raw values, the first rule broken) into ingest.quarantine; with
    `held_back` (a rejected file) the rows that parsed as well. Returns the number of rows written."""
    columns = "load_id, source_name, export_date, entity, source_file, line, column_name, reason, raw_values, rule"
    unit_args = [load_id, unit.source, unit.export_date, unit.entity, str(unit.file)]
    ((rows,),) = con.execute(
        f"""insert into ingest.quarantine ({columns})
            select ?, ?, ?, ?, ?, _line, _errors[1].column,
                   array_to_string(list_transform(_errors, lambda e: e.column || ': ' || e.reason), '; '), _raw,
                   _errors[1].column || ': ' || _errors[1].rule
            from {typed} where _errors is not null""",
        unit_args,
    ).fetchall()
    if held_back:
        ((held,),) = con.execute(
            f"""insert into ingest.quarantine ({columns})
                select ?, ?, ?, ?, ?, _line, null, ?, null, ?
                from {typed} where _errors is null""",
            [*unit_args, f"{HELD_BACK}: the file was rejected as a format change", HELD_BACK],
        ).fetchall()
        rows += held
    if raw.rejected:
        con.executemany(
            f"insert into ingest.quarantine ({columns}) values (?, ?, ?, ?, ?, ?, null, ?, to_json(?), ?)",
            [[*unit_args, line, reason, text[:RAW_CHARS], "wrong number of fields"]
             for line, reason, text in raw.rejected],
        )
    return rows + len(raw.rejected)


def _rejection(con: duckdb.DuckDBPyConnection, load_id: str, raw_rows: int, failed_rows: int, limit: float) -> str:
    """The manifest message of a rejected file: how many rows failed, the limit, the most common reasons."""
    reasons = con.execute(
        f"""select rule, count(*) as rows, min(line) as first_line from ingest.quarantine
            where load_id = ? and rule != ? group by rule order by rows desc, first_line limit {REASONS_IN_MESSAGE}""",
        [load_id, HELD_BACK],
    ).fetchall()
    listed = "; ".join(f"{rule} ({rows} rows, e.g. line {line})" for rule, rows, line in reasons)
    return (
        f"rejected as a format change: {failed_rows} of {raw_rows} data rows ({failed_rows / raw_rows:.1%}) failed, "
        f"more than {limit * 100:g}% (config/ingest.yml); nothing of it was loaded. Most common reasons: {listed}"
    )
