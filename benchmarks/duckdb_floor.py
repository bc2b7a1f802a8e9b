"""The floor: one DuckDB script over the latest exports, no framework around it.

Each file is read once, in blocks, into Arrow as text (pyarrow for CSV, transcoding GB18030 as
it streams; fastexcel for XLSX, header on row 2), NFKC-folded, and appended to a scratch table
of a DuckDB database file; DuckDB types and validates it (the input contract's rules) into one
table per entity, then computes the compared tables in SQL. Memory stays bounded by DuckDB's
buffer pool and one block, not by the size of the files.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import fastexcel
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from benchmarks import contract
from benchmarks.contract import Dialect, ExportFile
from benchmarks.tables import TOTAL_ROW

BLOCK_BYTES = 64 << 20  # CSV read in blocks: memory stays a few blocks, whatever the file's size
MEMORY_LIMIT = "4GB"  # DuckDB's buffer pool; beyond it, it spills to the database file's folder


def _batches(file: ExportFile, dialect: Dialect) -> Iterator[pa.Table]:
    """The file's cells as text under their normalised headers, NFKC-folded, in batches of rows."""
    if file.path.suffix.lower() == ".xlsx":
        sheet = fastexcel.read_excel(file.path).load_sheet(0, header_row=1, dtypes="string").to_arrow()
        tables: Iterator[pa.Table] = iter([pa.table([pc.fill_null(c, "") for c in sheet.columns],
                                                    names=sheet.column_names)])
    else:
        encoding = codecs.lookup(dialect.encoding).name
        with file.path.open(encoding=dialect.encoding, newline="") as fh:
            header = fh.readline().rstrip("\r\n").split(",")
        reader = pacsv.open_csv(
            file.path,
            read_options=pacsv.ReadOptions(encoding="utf8" if encoding.startswith("utf-8") else dialect.encoding,
                                           block_size=BLOCK_BYTES),
            convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in header},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
        tables = (pa.Table.from_batches([batch]) for batch in reader)
    for table in tables:
        names = [pc.utf8_normalize(pa.scalar(n), "NFKC").as_py().strip() for n in table.column_names]
        yield pa.table([pc.utf8_normalize(column, "NFKC") for column in table.columns], names=names)


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _typed_sql(column: str, kind: str, dialect: Dialect) -> str:
    v = f'"{column}"'
    if kind == "text":
        return v
    if kind == "integer":
        return f"try_cast({v} as bigint)"
    if kind == "number":
        return f"try_cast({v} as double)"
    if kind == "percent":
        number = f"try_cast(rtrim({v}, '%') as double)"
        return f"case when {number} between 0 and 100 then {number} end"
    if kind == "boolean":
        return (f"case when {v} in ({_sql_list(dialect.true_values)}) then true "
                f"when {v} in ({_sql_list(dialect.false_values)}) then false end")
    iso = f"replace(replace(replace(replace({v}, '/', '-'), '年', '-'), '月', '-'), '日', '')"
    return (f"cast(case when {iso} like '%:%:%' then try_strptime({iso}, '%Y-%m-%d %H:%M:%S') "
            f"when {iso} like '%:%' then try_strptime({iso}, '%Y-%m-%d %H:%M') "
            f"else try_strptime({iso}, '%Y-%m-%d') end as {'date' if kind == 'date' else 'timestamp'})")


def _load(con: duckdb.DuckDBPyConnection, file: ExportFile, entity_table: str) -> None:
    """Read one file batch by batch into a scratch table, then append its valid rows, typed, to `entity_table`."""
    dialect = contract.dialects()[contract.source_dialects()[file.source]]
    spec = contract.entities()[file.entity]
    lines = 0
    for batch in _batches(file, dialect):
        con.register("batch", batch.append_column("_line", pa.array(np.arange(lines, lines + batch.num_rows))))
        exists = lines > 0
        con.execute("insert into scratch select * from batch" if exists else
                    "create or replace temp table scratch as select * from batch")
        con.unregister("batch")
        lines += batch.num_rows
    if lines == 0:
        return
    columns = [row[0] for row in con.execute("describe scratch").fetchall()]
    cleaned = []
    for column in spec.types:
        header = next((h for h in dialect.headers[file.entity][column] if h in columns), None)
        if header is None and column not in spec.optional:
            raise ValueError(f"{file.path}: no column for {column}")
        cell = f"nullif(trim(\"{header}\"), '')" if header else "cast(null as varchar)"
        cleaned.append(f'{cell} as "{column}"')
    typed = {c: _typed_sql(c, kind, dialect) for c, kind in spec.types.items()}
    key = ", ".join(f'"{k}"' for k in spec.key)
    invalid = " or ".join(
        [f'("{c}" is not null and {expr} is null)' for c, expr in typed.items() if expr != f'"{c}"']
        + [f'"{k}" is null' for k in spec.key]
        + [f"row_number() over (partition by {key} order by _line) > 1"]
    )
    valid = f"""
        select '{file.source}' as source_name, '{file.export_date}' as export_date,
               {", ".join(f'"typed__{c}" as "{c}"' for c in typed)}
        from (
            select {", ".join(f'{expr} as "typed__{c}"' for c, expr in typed.items())}, {invalid} as _invalid
            from (select _line, {", ".join(cleaned)} from scratch)
            where {" or ".join(f'"{c}" is not null' for c in spec.types)}
        )
        where not _invalid"""
    exists = con.execute("select count(*) from duckdb_tables() where table_name = ?", [entity_table]).fetchone()[0]
    con.execute(f"insert into {entity_table} {valid}" if exists else f"create table {entity_table} as {valid}")
    con.execute("drop table scratch")


def compute(raw: Path) -> dict[str, pd.DataFrame]:
    with tempfile.TemporaryDirectory(prefix="floor_") as scratch:
        con = duckdb.connect(str(Path(scratch) / "floor.duckdb"), config={"memory_limit": MEMORY_LIMIT})
        try:
            return _compute(con, raw)
        finally:
            con.close()


def _compute(con: duckdb.DuckDBPyConnection, raw: Path) -> dict[str, pd.DataFrame]:
    for file in contract.latest_files(raw):
        _load(con, file, file.entity)
    for name in ("district_aliases", "subject_aliases", "programs", "districts"):
        seed = contract.SEEDS / f"{name}.csv"
        con.execute(f"create temp table {name} as select * from read_csv('{seed}', all_varchar=true)")
    con.execute(SCRIPT.format(unknown_district=contract.UNKNOWN_DISTRICT, unknown_subject=contract.UNKNOWN_SUBJECT,
                              learning=contract.LEARNING_COMMUNITY, research=contract.RESEARCH_COMMUNITY,
                              total=TOTAL_ROW))
    return {name: con.sql(f"select * from {relation}").df() for name, relation in RESULTS.items()}


RESULTS = {
    "district_teachers": "district_table",
    "district_enrollments": "district_table",
    "subjects": "subject_table",
    "courses": "course_table",
}
SCRIPT = """
create temp table teacher as
select t.source_name, t.export_date, t.teacher_id, coalesce(a.district, t.district) as district
from teachers t left join district_aliases a on a.alias = t.district;

create temp table course as
select c.source_name, c.export_date, c.course_id, c.program, c.period, c.community,
       coalesce(a.subject, c.subject) as subject
from courses c left join subject_aliases a on a.alias = c.subject;

create temp table enrollment as
select e.source_name, e.export_date, e.teacher_id, e.course_id, c.program,
       coalesce(c.period, e.period) as period, c.community, c.subject,
       coalesce(t.district, '{unknown_district}') as district,
       coalesce(e.paid, false) as is_paid,
       coalesce(e.progress, 0) > 0 as is_learning,
       coalesce(e.paid, false) and coalesce(e.passed, false) as is_passed,
       coalesce(e.hours_earned, 0) as hours_earned
from enrollments e
left join course c using (source_name, export_date, course_id)
left join teacher t using (source_name, export_date, teacher_id);

create temp table teacher_period as
with enrolled as (
    select source_name, export_date, program, period, teacher_id,
           count(*) filter (where is_paid) as paid,
           coalesce(sum(hours_earned) filter (where is_passed), 0) as passed_hours,
           count(*) filter (where is_passed and community = '{learning}') as passed_learning,
           count(*) filter (where is_passed and community = '{research}') as passed_research
    from enrollment where program is not null group by all
),
registered as (
    select source_name, export_date, program, period, teacher_id, bool_or(first_login_at is not null) as logged_in
    from registrations group by all
),
workshop_program as (
    select distinct course.source_name, course.export_date, course.period, course.program
    from course join programs p on course.program = p.program where p.has_workshops = 'true'
),
workshopped as (
    select w.source_name, w.export_date, wp.program, w.period, w.teacher_id,
           bool_or(coalesce(w.completed, false)) as completed,
           bool_or(coalesce(w.completed and w.submitted, false)) as submitted,
           bool_or(coalesce(w.completed and w.submitted and w.certified, false)) as certified
    from workshops w join workshop_program wp using (source_name, export_date, period)
    group by all
),
keys as (
    select source_name, export_date, program, period, teacher_id from enrolled
    union select source_name, export_date, program, period, teacher_id from registered
    union select source_name, export_date, program, period, teacher_id from workshopped
)
select k.*, coalesce(t.district, '{unknown_district}') as district,
       case p.participant_rule when 'first_login' then coalesce(r.logged_in, false)
                               when 'paid_enrollment' then coalesce(e.paid, 0) > 0 end as participant,
       coalesce(e.paid, 0) > 0 as course_selected,
       coalesce(case p.completion_rule
           when 'passed_hours' then coalesce(e.passed_hours, 0) >= cast(p.required_hours as double)
           when 'both_communities' then coalesce(e.passed_learning, 0) > 0 and coalesce(e.passed_research, 0) > 0
       end, false) as completed,
       w.teacher_id is not null as workshop_selected,
       coalesce(w.completed, false) as workshop_completed,
       coalesce(w.submitted, false) as submitted,
       coalesce(w.certified, false) as certified
from keys k
left join programs p on k.program = p.program
left join enrolled e on k.source_name = e.source_name and k.export_date = e.export_date
    and k.program = e.program and k.period = e.period and k.teacher_id = e.teacher_id
left join registered r on k.source_name = r.source_name and k.export_date = r.export_date
    and k.program = r.program and k.period = r.period and k.teacher_id = r.teacher_id
left join workshopped w on k.source_name = w.source_name and k.export_date = w.export_date
    and k.program = w.program and k.period = w.period and k.teacher_id = w.teacher_id
left join teacher t on k.source_name = t.source_name and k.export_date = t.export_date
    and k.teacher_id = t.teacher_id;

create temp table district_table as
with itp2 as (select program from programs where program_code = 'itp2'),
teacher_counts as (
    select export_date, program, period, district,
           count(*) filter (where participant) as participants,
           count(*) filter (where course_selected) as course_selected,
           count(*) filter (where completed) as course_completed,
           count(*) filter (where workshop_selected) as workshop_selected,
           count(*) filter (where workshop_completed) as workshop_completed,
           count(*) filter (where submitted) as submitted,
           count(*) filter (where certified) as certified
    from teacher_period where program in (select program from itp2) group by all
),
enrollment_counts as (
    select export_date, program, period, district,
           count(*) filter (where is_paid) as enrollments_paid,
           count(*) filter (where is_paid and is_learning) as enrollments_learning,
           count(*) filter (where is_passed) as enrollments_passed
    from enrollment where program in (select program from itp2) group by all
),
latest_targets as (
    select tg.program, tg.period, coalesce(a.district, tg.district) as district, tg.expected_teachers
    from targets tg left join district_aliases a on a.alias = tg.district
    qualify tg.export_date = max(tg.export_date) over ()
),
rows as (
    select tc.*, lt.expected_teachers,
           coalesce(ec.enrollments_paid, 0) as enrollments_paid,
           coalesce(ec.enrollments_learning, 0) as enrollments_learning,
           coalesce(ec.enrollments_passed, 0) as enrollments_passed
    from teacher_counts tc
    left join enrollment_counts ec using (export_date, program, period, district)
    left join latest_targets lt using (program, period, district)
    where tc.district in (select district from districts) or tc.participants > 0 or ec.enrollments_paid > 0
    qualify tc.export_date = max(tc.export_date) over (partition by tc.period)
)
select * from rows
union all by name
select export_date, program, period, '{total}' as district,
       sum(participants) as participants, sum(course_selected) as course_selected,
       sum(course_completed) as course_completed, sum(workshop_selected) as workshop_selected,
       sum(workshop_completed) as workshop_completed, sum(submitted) as submitted, sum(certified) as certified,
       sum(expected_teachers) as expected_teachers, sum(enrollments_paid) as enrollments_paid,
       sum(enrollments_learning) as enrollments_learning, sum(enrollments_passed) as enrollments_passed
from rows group by all;

create temp table subject_table as
with teacher_subject as (
    select source_name, export_date, program, period, teacher_id,
           coalesce(subject, '{unknown_subject}') as subject, bool_or(is_learning) as is_learning
    from enrollment where program in (select program from programs) and is_paid group by all
)
select ts.program, ts.period, ts.export_date, ts.subject,
       count(*) as enrolled_teachers,
       count(*) filter (where ts.is_learning) as learning_teachers,
       count(*) filter (where ts.is_learning and tp.completed) as completed_teachers
from teacher_subject ts
left join teacher_period tp on ts.source_name = tp.source_name and ts.export_date = tp.export_date
    and ts.program = tp.program and ts.period = tp.period and ts.teacher_id = tp.teacher_id
where ts.export_date = (select max(export_date) from teacher_subject l where l.program = ts.program
                        and l.period = ts.period)
group by all;

create temp table courses_counted as
select source_name, export_date, course_id,
       count(*) filter (where is_paid) as enrollments_paid,
       count(*) filter (where is_paid and is_learning) as enrollments_learning,
       count(*) filter (where is_passed) as enrollments_passed
from enrollment group by all;

create temp table course_table as
select c.source_name, c.export_date, c.course_id,
       coalesce(n.enrollments_paid, 0) as enrollments_paid,
       coalesce(n.enrollments_learning, 0) as enrollments_learning,
       coalesce(n.enrollments_passed, 0) as enrollments_passed
from course c left join courses_counted n using (source_name, export_date, course_id)
where c.program in (select program from programs);  -- a program no rule knows is left out
"""
