"""A small, clean warehouse holding only what the quality suites read; tests break it one row at a time.

The tables are written here; the suites' frames on top of them are the real views of
dbt/models/quality, built by `dbt run` once per session into a template that each test copies.

Figures: gz_city delivers 选课记录 (100 rows on 2022-06-23 and 2022-06-30) and 教师信息; the bureau
delivered 应参训人数 long ago. ITP 2.0 districts 从化区 and 白云区 on two export dates (从化区's
participation 8400 / 8504 is under 100%), an ITP 1.0 programme row for 花都区, two courses, and
the two published ITP 2.0 tables with consistent 合计 rows. Checked as of NOW.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

import duckdb

from dagster_project.defs.dbt.resource import DBT_EXECUTABLE, prepare_dbt
from dagster_project.defs.ingest.contract import load_config
from dagster_project.defs.ingest.ddl import ensure_schema
from dagster_project.project import dbt_project

NOW = dt.datetime(2022, 7, 1, 2, 0)
ITP2 = "能力提升工程2.0"
ITP1 = "能力提升工程"

EXPORTS = """
insert into ingest.load_manifest (load_id, run_id, source_name, export_date, entity, source_file, raw_rows,
                                  loaded_rows, quarantined_rows, status, loaded_at)
values
    ('e23', 'r1', 'gz_city', '2022-06-23', 'enrollments', '/raw/gz_city/2022-06-23/选课记录.csv', 100, 100, 0,
     'loaded', '2022-06-23 03:00'),
    ('e30', 'r2', 'gz_city', '2022-06-30', 'enrollments', '/raw/gz_city/2022-06-30/选课记录.csv', 100, 100, 0,
     'loaded', '2022-06-30 03:00'),
    ('t30', 'r2', 'gz_city', '2022-06-30', 'teachers', '/raw/gz_city/2022-06-30/教师信息.csv', 4, 4, 0,
     'loaded', '2022-06-30 03:00'),
    ('b20', 'r0', 'bureau', '2022-04-20', 'targets', '/raw/bureau/2022-04-20/应参训人数.csv', 2, 2, 0,
     'loaded', '2022-04-21 03:00');
insert into landing.enrollments (load_id, source_name, export_date, enrollment_id, source_line)
select load_id, 'gz_city', export_date, 'E' || i, i
from (values ('e23', date '2022-06-23'), ('e30', date '2022-06-30')) as loads(load_id, export_date), range(100) as r(i);
insert into landing.teachers (load_id, source_name, export_date, teacher_id, source_line)
select 't30', 'gz_city', date '2022-06-30', 'T' || i, i from range(4) as r(i);
insert into landing.targets (load_id, source_name, export_date, program, period, district, source_line)
values ('b20', 'bureau', '2022-04-20', '能力提升工程2.0', '2201', '从化区', 1),
       ('b20', 'bureau', '2022-04-20', '能力提升工程2.0', '2201', '白云区', 2);
"""

DISTRICTS = f"""
create schema marts;
create table marts.fct_district_training as
select * from (values
    -- export_date, program, period, district, school_ownership, expected_teachers, participants,
    -- participants_outside_roster, graduates, graduates_outside_roster, course_selected, course_completed,
    -- workshop_selected, workshop_completed, submitted, certified, enrollments_paid, enrollments_learning,
    -- enrollments_passed
    (date '2022-09-12', '{ITP2}', '2201', '从化区', '全部', 8504, 8000, 120, 0, 0, 7500, 7000, 7500, 7000, 6800,
     6500, 40000, 39000, 37000),
    (date '2022-09-19', '{ITP2}', '2201', '从化区', '全部', 8504, 8400, 140, 0, 0, 8300, 8000, 8100, 8000, 7900,
     7800, 50000, 49000, 48000),
    (date '2022-09-12', '{ITP2}', '2201', '白云区', '全部', 22513, 20000, 300, 0, 0, 19000, 18000, 19000, 18000,
     17000, 16000, 90000, 88000, 86000),
    (date '2022-09-19', '{ITP2}', '2201', '白云区', '全部', 22513, 20392, 310, 0, 0, 20000, 19293, 20000, 19500,
     19000, 18500, 95000, 93000, 91000),
    (date '2022-09-19', '{ITP2}', '2201', '白云区', '公办', null, 15000, 200, 0, 0, 14500, 14000, 14500, 14000,
     13500, 13000, 70000, 69000, 68000),
    (date '2017-12-31', '{ITP1}', 'ALL', '花都区', '全部', 11137, 11000, 500, 10000, 300, 0, 0, 0, 0, 0, 0, 0, 0, 0)
) as t(export_date, program, period, district, school_ownership, expected_teachers, participants,
       participants_outside_roster, graduates, graduates_outside_roster, course_selected, course_completed,
       workshop_selected, workshop_completed, submitted, certified, enrollments_paid, enrollments_learning,
       enrollments_passed);
create table marts.fct_course_training as
select * from (values
    ('gz_city', date '2022-06-23', 'C1', '课程一', '市常规远程培训', '2201', false, 8, 7, 6),
    ('gz_city', date '2022-06-30', 'C1', '课程一', '市常规远程培训', '2201', false, 10, 9, 8),
    ('gz_city', date '2022-06-30', 'C2', '课程二', '市常规远程培训', '2201', false, 5, 5, 5)
) as t(source_name, export_date, course_id, course_name, program, period, is_zero_enrollment,
       enrollments_paid, enrollments_learning, enrollments_passed);
create table marts.dim_district as
select * from (values ('从化区', 1, 2), ('白云区', 2, 1), ('花都区', 3, 5))
    as t(district, bulletin_order, pinyin_order);
create table marts.dim_subject as select * from (values ('语文'), ('数学')) as t(subject);
"""

ENROLLMENTS_AND_TEACHERS = """
create schema intermediate;
create table intermediate.int_enrollments_referenced as
select 'gz_city' as source_name, export_date, 100 as enrollments, 0 as unknown_course_enrollments,
       0 as unknown_teacher_enrollments
from (values (date '2022-06-23'), (date '2022-06-30')) as d(export_date);
create schema staging;
create table staging.stg_platform__teachers as
select *, 'S1' as school_id, '一小' as school_name, '公办' as school_ownership, true as is_full_time,
       '在职' as status, '小学' as stage, 'k-' || teacher_id as person_key, cast(null as varchar) as city,
       cast(null as boolean) as holds_certificate
from (values
    ('gz_city', date '2022-06-30', 'T1', '白云区', '语文'),
    ('gz_city', date '2022-06-30', 'T2', '白云区', '数学'),
    ('gz_city', date '2022-06-30', 'T3', '从化区', '语文'),
    ('gz_city', date '2022-06-30', 'T4', '花都区', '数学')
) as t(source_name, export_date, teacher_id, district, subject);
"""

REPORTS = """
create schema reports;
create table reports.report_itp2_district_teachers as
select * from (values
    ('2201', date '2022-09-19', 1, '白云区', 22513, 20392, '90.58%'),
    ('2201', date '2022-09-19', 2, '从化区', 8504, 8400, '98.78%'),
    ('2201', date '2022-09-19', 100, '合计', 31017, 28792, '92.83%')
) as t(_period, _export_date, _sort_order, district, expected_teachers, participants, participation_rate);
create table reports.report_itp2_district_enrollments as
select * from (values
    ('2201', date '2022-09-19', 1, '白云区', 95000, 93000),
    ('2201', date '2022-09-19', 2, '从化区', 50000, 49000),
    ('2201', date '2022-09-19', 100, '合计', 145000, 142000)
) as t(_period, _export_date, _sort_order, district, enrollments_paid, enrollments_learning);
create table reports.report_itp1_subject as
select * from (values
    ('1702', date '2017-06-30', 1, '语文', 2000, 1800, 654, '36.33%'),
    ('1702', date '2017-06-30', 2, '数学', 1615, 1345, 346, '25.72%'),
    ('1702', date '2017-06-30', 100, '总计', 3615, 3145, 1000, '31.80%')
) as t(_period, _export_date, _sort_order, subject, enrolled_teachers, learning_teachers, completed_teachers,
       completion_rate);
create table reports.report_itp1_district_progress as
select * from (values
    ('ALL', date '2017-12-31', 1, '花都区', 11137, 12604, 10000),
    ('ALL', date '2017-12-31', 100, '合计', 11137, 12604, 10000)
) as t(_period, _export_date, _sort_order, district, full_time_teachers, participants, graduates);
create table reports.report_itp1_assessment as
select * from (values
    ('ALL', date '2017-12-31', 1, '花都区', '2017-09-01..2017-10-09', 500, 480),
    ('ALL', date '2017-12-31', 2, '总计', '-', 500, 480)
) as t(_period, _export_date, _sort_order, district, "window", expected, completed);
"""


UNKNOWN_PROGRAMS = """
-- A program no configuration knows, in gz_city's export of 2022-06-23 (not its latest: not reported).
insert into landing.courses (load_id, source_name, export_date, course_id, program, period, source_line)
values ('c23', 'gz_city', '2022-06-23', 'NEW1', '某新项目', '2201', 1),
       ('c23', 'gz_city', '2022-06-23', 'NEW2', '某新项目', '2201', 2);
insert into landing.registrations (load_id, source_name, export_date, teacher_id, program, period, source_line)
values ('r23', 'gz_city', '2022-06-23', 'T1', '某新项目', '2201', 1);
insert into landing.enrollments (load_id, source_name, export_date, enrollment_id, course_id, source_line)
values ('e23', 'gz_city', '2022-06-23', 'N1', 'NEW1', 101), ('e23', 'gz_city', '2022-06-23', 'N2', 'NEW1', 102),
       ('e23', 'gz_city', '2022-06-23', 'N3', 'NEW2', 103);
"""


# The relations the scripts above make by hand (dbt builds every other parent of the qa models).
HAND_MADE = [
    "stg_platform__teachers", "int_enrollments_referenced", "dim_district", "dim_subject", "fct_course_training",
    "fct_district_training", "report_itp2_district_teachers", "report_itp2_district_enrollments",
    "report_itp1_subject", "report_itp1_district_progress", "report_itp1_assessment",
]


def clean_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """A warehouse on which every quality check passes as of NOW (file name warehouse.duckdb, as the views expect)."""
    shutil.copyfile(_template(), path)
    return duckdb.connect(str(path))


@cache
def _template() -> Path:
    """The tables, and the frames' views built on them by dbt. Kept in dbt's target folder, where the
    next session's `dbt run` parses partially."""
    folder = Path(dbt_project.project_dir) / dbt_project.target_path / "quality_warehouse"
    shutil.rmtree(folder / "warehouse", ignore_errors=True)
    (folder / "warehouse").mkdir(parents=True)
    path = folder / "warehouse" / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        ensure_schema(con, load_config())
        for script in (EXPORTS, DISTRICTS, ENROLLMENTS_AND_TEACHERS, REPORTS, UNKNOWN_PROGRAMS):
            con.execute(script)
    prepare_dbt()  # the manifest the frames are read from
    target = Path(dbt_project.project_dir) / dbt_project.target_path
    (folder / "target").mkdir(exist_ok=True)
    shutil.copy(target / "partial_parse.msgpack", folder / "target")  # dbt then parses partially
    done = subprocess.run(
        # the qa models with what they read that the tables above do not hold (staging views, seeds,
        # the 校本研修 facts and reports)
        [DBT_EXECUTABLE, "build", "--select", "+path:models/quality", "--exclude", *HAND_MADE,
         "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test",
         "--profiles-dir", str(dbt_project.profiles_dir), "--target-path", str(folder / "target")],
        cwd=dbt_project.project_dir, env={**os.environ, "PEIXUN_WAREHOUSE": str(path)}, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    return path
