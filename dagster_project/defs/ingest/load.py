"""Load one export unit (source x export date x entity) into DuckDB, atomically.

Raw rows in = rows loaded + rows quarantined, for every file. Loading a file
that is already loaded for its unit (same stamp, or same checksum) changes nothing; a different
file for a loaded unit (a re-delivery) replaces that unit's rows in one
transaction; a file that cannot be read leaves the previous good load in place.
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
from dagster_project.defs.ingest.parse import duplicates_query, header_score, map_columns, typed_query
from dagster_project.defs.ingest.readers import ExportReadError, LinesUnknown, RawFile, read_csv, read_xlsx
from dagster_project.lib.pseudonym import use_key


@dataclass
class LoadResult:
    unit: ExportUnit
    status: str  # loaded | unchanged | failed
    message: str = ""
    dialect: str = ""
    raw_rows: int = 0
    loaded_rows: int = 0
    quarantined_rows: int = 0
    seconds: float = 0.0


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
    sha256: str
    stamp: FileStamp


def _in_force(con: duckdb.DuckDBPyConnection, unit: ExportUnit) -> InForce | None:
    row = con.execute(
        "select load_id, sha256, source_file, bytes, modified_ns from ingest.load_manifest "
        "where source_name = ? and export_date = ? and entity = ? and status = 'loaded'",
        [unit.source, unit.export_date, unit.entity],
    ).fetchall()
    return InForce(row[0][0], row[0][1], FileStamp(*row[0][2:])) if row else None


def _record(con, load_id, run_id, unit, path, status, message, now, **figures) -> None:
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


def record_problem(con: duckdb.DuckDBPyConnection, raw_dir: Path, path: Path, why: str, run_id: str) -> None:
    """A file or folder that could not be placed in any export unit fails visibly."""
    parts = path.relative_to(raw_dir).parts if path.is_relative_to(raw_dir) else (str(path),)
    con.execute(
        "insert into ingest.load_manifest (load_id, run_id, source_name, source_file, status, message, loaded_at) "
        "values (?, ?, ?, ?, 'failed', ?, ?)",
        [uuid.uuid4().hex, run_id, parts[0] if parts else "", str(path), f"{path}: {why}", dt.datetime.now()],
    )


def record_superseded(con: duckdb.DuckDBPyConnection, unit: ExportUnit, run_id: str) -> None:
    """Note each superseded delivery once (by stamp, else by checksum), so nothing disappears unexplained."""
    for path in unit.superseded:
        try:
            stamp = FileStamp.of(path)
            seen = "select 1 from ingest.load_manifest where status = 'superseded' and source_file = ? and "
            known = [stamp.path, stamp.bytes, stamp.modified_ns]
            if con.execute(seen + "bytes = ? and modified_ns = ?", known).fetchall():
                continue
            sha = file_sha256(path)
        except OSError as exc:
            _record(con, uuid.uuid4().hex, run_id, unit, path, "failed", f"{path}: cannot read ({exc.strerror})",
                    dt.datetime.now())
            continue
        if con.execute(seen + "sha256 = ?", [stamp.path, sha]).fetchall():
            con.execute(  # the same delivery again (copied, touched): known by its stamp from now on
                "update ingest.load_manifest set bytes = ?, modified_ns = ? "
                "where status = 'superseded' and source_file = ? and sha256 = ?",
                [stamp.bytes, stamp.modified_ns, stamp.path, sha],
            )
        else:
            _record(
                con, uuid.uuid4().hex, run_id, unit, path, "superseded",
                f"re-delivered: replaced by {unit.file.name}", dt.datetime.now(), sha256=sha, stamp=stamp,
            )


def load_unit(
    con: duckdb.DuckDBPyConnection, unit: ExportUnit, config: Config, salt: str, run_id: str, force: bool = False
) -> LoadResult:
    """Load one unit (again if `force`); a failure is recorded against its file and the previous load stays."""
    try:
        return _load_unit(con, unit, config, salt, run_id, force)
    except (duckdb.Error, OSError, ValueError) as exc:
        message = f"{unit.file}: load failed ({type(exc).__name__}: {str(exc).splitlines()[0]})"
        _record(con, uuid.uuid4().hex, run_id, unit, unit.file, "failed", message, dt.datetime.now())
        return LoadResult(unit, "failed", message)


def _load_unit(
    con: duckdb.DuckDBPyConnection, unit: ExportUnit, config: Config, salt: str, run_id: str, force: bool
) -> LoadResult:
    started = time.perf_counter()
    entity = config.entities[unit.entity]
    # Unchanged when the load in force has the same path, size and modification time (decided without
    # reading the file, as rsync and git do) or else the same checksum: a file copied in again with the
    # same content keeps its load and gets its new stamp, so the next night skips it without reading.
    stamp = FileStamp.of(unit.file)
    current = None if force else _in_force(con, unit)
    if current is not None and current.stamp == stamp:
        return LoadResult(unit, "unchanged", "same file, size and modification time as the load in force")
    sha = file_sha256(unit.file)
    if current is not None and current.sha256 == sha:
        if current.stamp.path == stamp.path:
            con.execute("update ingest.load_manifest set bytes = ?, modified_ns = ? where load_id = ?",
                        [stamp.bytes, stamp.modified_ns, current.load_id])
        return LoadResult(unit, "unchanged", "same checksum as the load in force")
    load_id = uuid.uuid4().hex
    relation, duplicates, typed = f"raw_{load_id}", f"duplicates_{load_id}", f"typed_{load_id}"
    try:
        raw, dialect, how = _read(unit, entity, config)
        mapped = map_columns(raw.header, entity, dialect, str(unit.file))
        read_rows = _stage(con, raw, relation)
    except ExportReadError as exc:
        _record(con, load_id, run_id, unit, unit.file, "failed", str(exc), dt.datetime.now(), sha256=sha)
        return LoadResult(unit, "failed", str(exc), seconds=time.perf_counter() - started)

    try:
        con.execute(f"create temp table {duplicates} as {duplicates_query(relation, mapped, entity)}")
        use_key(con, salt)
        con.execute(f"create temp table {typed} as {typed_query(relation, duplicates, mapped, entity, dialect)}")
    finally:
        con.execute(f"drop table if exists {relation}; drop table if exists {duplicates}")
    stored = ", ".join(f'"{c.stored_name}"' for c in entity.columns)
    where_unit = "source_name = ? and export_date = ? and entity = ?"
    unit_args = [unit.source, unit.export_date, unit.entity]
    try:
        con.execute("begin transaction")
        con.execute(f"delete from landing.{entity.name} where source_name = ? and export_date = ?", unit_args[:2])
        con.execute(f"delete from ingest.quarantine where {where_unit}", unit_args)
        con.execute(
            f"update ingest.load_manifest set status = 'replaced' where {where_unit} and status = 'loaded'", unit_args
        )
        ((loaded,),) = con.execute(
            f"""insert into landing.{entity.name} (load_id, source_name, export_date, {stored}, source_line)
                select ?, ?, ?, {stored}, _line from {typed} where _errors is null""",
            [load_id, unit.source, unit.export_date],
        ).fetchall()
        ((quarantined,),) = con.execute(
            f"""insert into ingest.quarantine
                select ?, ?, ?, ?, ?, _line, _errors[1].column,
                       array_to_string(list_transform(_errors, lambda e: e.column || ': ' || e.reason), '; '), _raw
                from {typed} where _errors is not null""",
            [load_id, *unit_args, str(unit.file)],
        ).fetchall()
        if raw.rejected:
            con.executemany(
                "insert into ingest.quarantine values (?, ?, ?, ?, ?, ?, null, ?, to_json(?))",
                [[load_id, *unit_args, str(unit.file), line, reason, text] for line, reason, text in raw.rejected],
            )
        quarantined += len(raw.rejected)
        raw_rows = loaded + quarantined  # non-blank data rows; wholly empty rows are counted apart
        blank_rows = read_rows + len(raw.rejected) - raw_rows
        seconds = time.perf_counter() - started
        _record(
            con, load_id, run_id, unit, unit.file, "loaded", how, dt.datetime.now(),
            dialect=dialect.name, encoding=raw.encoding, sha256=sha, stamp=stamp,
            raw_rows=raw_rows, blank_rows=blank_rows, loaded_rows=loaded,
            quarantined_rows=quarantined, seconds=seconds,
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.execute(f"drop table if exists {typed}")
    return LoadResult(unit, "loaded", how, dialect.name, raw_rows, loaded, quarantined, seconds)
