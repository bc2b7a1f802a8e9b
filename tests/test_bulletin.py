"""The nightly 学情通报 (`peixun bulletin`): its prose checked against its tables, and every format read
back: the DOCX with python-docx cell by cell against `peixun table`, the HTML in a real headless
chromium with the network cut off, the PDF's text by pdftotext.

The warehouse is the hand-sized scenario (tests/scenario.py) with a second ITP 2.0 export a week
later (tests/test_analyst_queries.py): every figure below is worked out by hand there.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from docx import Document

from dagster_project.cli import main
from dagster_project.defs.operations.alerts import send_run_digest
from dagster_project.defs.operations.nightly_run import run_nightly
from dagster_project.defs.operations.run_history import recent_runs
from dagster_project.defs.publish.bulletin.charts import MissingFont, cjk_family, render
from dagster_project.defs.publish.bulletin.checks import Below, Count, Rank, RowsAddUp, Sentence, Total, Value, check
from dagster_project.defs.publish.bulletin.config import BulletinConfigError, load_bulletin_config
from dagster_project.defs.publish.bulletin.content import (
    Program,
    _formula,
    build_content,
    followup_sentence,
    format_rate,
    school_based_followup,
    table_cells,
)
from dagster_project.defs.publish.bulletin.release import draft
from dagster_project.defs.publish.tables import PublishedTable
from tests.alert_servers import smtp_server
from tests.browser import offline_dom
from tests.scenario import write_scenario
from tests.test_analyst_queries import add_second_week

ITP2 = "能力提升工程2.0"
STEM = f"{ITP2}学情通报_2201_2022-09-26"
LEAD = ("截至2022-09-26，能力提升工程2.0（2201期）应参训5人，参训3人，参训率60.00%，选课20人次，学习率95.00%，"
        "通过率85.00%，开设课程10门。")
LEADERS = ("各区参训率最高的是白云区（66.67%），最低的是市直属（50.00%）。",
           "各区完成率(按应参训)最高的是白云区（33.33%），最低的是市直属（0.00%）。")
CHANGE = ("与上期（截至2022-09-19）相比，参训人数保持3人；学员选课已支付人次由19人次增至20人次，增加1人次；"
          "通过人次保持17人次；参训率保持60.00%；通过率由89.47%降至85.00%。")


# ---- the checker: seed 001's own slips are caught --------------------------------------------------


def seed_001_progress() -> PublishedTable:
    """表1 of seed 001 (能力提升工程 各区培训率、结业率), three of its rows, as published: both leaders above
    100% print 100.00%+, so only the exact rates tell 花都区 (113.17% / 105.15%) ahead of 增城区."""
    rows = pd.DataFrame({"district": ["花都区", "增城区", "天河区"],
                         "training_rate": ["100.00%+", "100.00%+", "95.12%"],
                         "graduation_rate": ["100.00%+", "100.00%+", "95.12%"]})
    exact = pd.DataFrame({"training_rate": [1.1317, 1.1234, 0.9512], "graduation_rate": [1.0515, 1.0479, 0.9512]})
    return PublishedTable("itp1_district_progress", "ALL", "2017-11-27", "能力提升工程 各区培训率、结业率", rows, exact)


def test_seed_001s_claims_are_caught():
    table = seed_001_progress()
    first = Sentence("增城区培训率、结业率稳居首位。",
                     (Rank(table, "district", "增城区", ("training_rate", "graduation_rate"), "max"),))
    staff = Sentence("全市共有辅导教师和助学人员106名，其中辅导教师97名、助学人员99名。",
                     (Total(("97", "99"), "106", "辅导人员"),))
    problems = check([first, staff])
    assert problems == [
        "文中称增城区培训率最高，但能力提升工程 各区培训率、结业率中花都区最高（100.00%+，增城区为 100.00%+）",
        "文中辅导人员合计 106，但各部分 97 + 99 = 196",
    ]
    # What the data says passes: 花都区 leads both rates.
    assert check([Sentence("花都区培训率、结业率居首。",
                           (Rank(table, "district", "花都区", ("training_rate", "graduation_rate"), "max"),))]) == []


def test_a_number_or_a_ranking_word_without_a_fact_is_caught():
    table = seed_001_progress()
    loose = Sentence("天河区培训率95.12%，名列第一。", (Value(table, "district", "天河区", "training_rate", "95.12%"),))
    assert check([loose]) == ["“天河区培训率95.12%，名列第一。”中的“第一”无排名依据"]
    typed = Sentence("天河区培训率95.21%。", (Value(table, "district", "天河区", "training_rate", "95.21%"),))
    assert check([typed]) == [
        "文中“天河区培训率95.21%”与能力提升工程 各区培训率、结业率（截至2017-11-27）的 95.12% 不符"]
    named = Sentence("广州市第一中学通过率95.12%。",
                     (Value(seed_001_progress(), "district", "广州市第一中学", "training_rate", "95.12%"),))
    # A name read from the table is no ranking word (第一): only the missing row is reported.
    assert check([named]) == ["能力提升工程 各区培训率、结业率（截至2017-11-27）没有“广州市第一中学”一行"]
    bare = Sentence("共28件优秀作品。")
    assert check([bare]) == ["“共28件优秀作品。”中的数字 28 无表格依据"]


def test_a_total_row_that_is_not_the_sum_of_its_rows_is_caught():
    """Seed 001's 表2 总计 (13071 enrolled) against subject rows that add to another figure."""
    rows = pd.DataFrame({"subject": ["语文", "数学", "总计"], "enrolled_teachers": [7000, 6000, 13071]})
    table = PublishedTable("itp1_subject", "1702", "2017-11-27", "能力提升工程 各学科培训情况", rows,
                           pd.DataFrame(index=rows.index))
    assert check([], (RowsAddUp(table),)) == ["能力提升工程 各学科培训情况的总计行选课人数为 13071，但各行之和为 13000"]


def test_the_configuration_is_validated(tmp_path):
    assert load_bulletin_config().programs["itp2"].tables[0].table == "itp2_district_teachers"
    bad = tmp_path / "bulletin.yml"
    bad.write_text("issuer: 中心\ntitle: 学情通报\nfooter: {抄: 某}\nprograms:\n  itp2: {tables: [no_such_table]}\n",
                   encoding="utf-8")
    with pytest.raises(BulletinConfigError) as error:
        load_bulletin_config(bad)
    footer, tables = str(error.value).splitlines()
    assert footer == f"{bad}: footer: Value error, unknown line 抄 (expected 报, 送, 发) (got {{'抄': '某'}})"
    assert tables.startswith(f"{bad}: programs: Value error, unknown table no_such_table (tables: credits, ")


# ---- the bulletin of the scenario, in every format --------------------------------------------------


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bulletin")
    raw = write_scenario(root / "raw")
    add_second_week(raw)
    outcome = run_nightly(raw, root / "home")
    assert outcome.success, outcome.reason
    return root / "home"


@pytest.fixture(scope="module")
def drafted(home) -> dict[str, Path]:
    out = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(out):
        assert main(["bulletin", "--program", ITP2, "--period", "2201", "--home", str(home)]) == 0
    folder = home / "bulletins" / "itp2" / "2201" / "2022-09-26"
    files = {Path(line).suffix[1:]: Path(line) for line in out.getvalue().split()}
    assert files == {f: folder / f"{STEM}.{f}" for f in ("docx", "html", "pdf")}
    assert sorted(folder.iterdir()) == sorted(files.values())
    return files


def peixun_table(home: Path, name: str) -> list[list[str]]:
    out = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(out):
        assert main(["table", name, "--period", "2201", "--home", str(home)]) == 0
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_the_docx_tables_are_peixun_table_cell_by_cell(home, drafted):
    document = Document(str(drafted["docx"]))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert len(tables) == 2
    for grid, name in zip(tables, ("itp2_district_teachers", "itp2_district_enrollments"), strict=True):
        published = peixun_table(home, name)
        assert grid[1:] == published[1:]  # every cell of every row, 合计 included
        assert len(grid[0]) == len(published[0])
    assert tables[0][0][:4] == ["区域", "应参训人数", "参训人数", "参训率"]
    assert tables[0][1:] == [["白云区", "3", "2", "66.67%", *tables[0][1][4:]],
                             ["市直属", "2", "1", "50.00%", *tables[0][2][4:]],
                             ["合计", "5", "3", "60.00%", *tables[0][3][4:]]]


def test_the_docx_is_an_office_document(drafted):
    document = Document(str(drafted["docx"]))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "本期导读") in headings and ("Heading 1", "与上期相比") in headings
    assert ("Heading 2", "表1\u3000能力提升工程2.0 各区培训情况（教师）") in headings
    assert ("Heading 1", "评优表彰") in headings  # the officer's sections, marked
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == [f"{ITP2}学情通报", "2201期\u3000第2期（总第2期）"]
    assert LEAD in texts and all(s in texts for s in LEADERS) and CHANGE in texts
    assert any(t.startswith("【待填写】") for t in texts)
    # The scenario has no 校本研修: its configured table is said to be left out, not dropped silently.
    assert "注：以下表格本期（截至2022-09-26）无数据，未列入：school_based_districts。" in texts
    assert "报：市教育局" in texts and "发：各区教育局（教师发展中心），市直属学校" in texts
    assert any(t.startswith("口径：参训率 = 参训人数 / 应参训人数；") and "数据截至2022-09-26" in t for t in texts)
    # 图1 rates by district, 图2 公办 against 民办, 图3 the trend over the two export dates
    assert len(document.inline_shapes) == 3
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_the_html_opens_offline_with_every_image_loaded(drafted, tmp_path):
    html = drafted["html"].read_text(encoding="utf-8")
    assert re.search(r"(?i)(https?:|//[a-z0-9.-]+\.[a-z]{2,}/|<script|<link|<iframe|@import|url\()", html) is None
    sources = re.findall(r'<img [^>]*src="([^"]+)"', html)
    assert len(sources) == 3 and all(s.startswith("data:image/png;base64,") for s in sources)
    # A copy with a probe script that records, once loaded, whether each image decoded (the page itself has none).
    probe = tmp_path / "probe.html"
    probe.write_text(html.replace("</body>", "<script>window.onload = () => document.body.setAttribute('data-images', "
                                  "[...document.images].map(i => i.complete && i.naturalWidth > 0).join(','));"
                                  "</script></body>"), encoding="utf-8")
    dom = offline_dom(probe, tmp_path / "profile", wait_ms=2000)
    assert 'data-images="true,true,true"' in dom
    assert re.findall(r"<figcaption>(.*?)</figcaption>", dom) == [
        "图1\u3000各区参训率、完成率(按应参训)（截至2022-09-26）",
        "图2\u3000公办、民办学校完成率(按实参训)、学习率、通过率（截至2022-09-26）",
        "图3\u3000参训率、学习率、通过率变化趋势（2201期各截止日期）",
    ]
    assert LEAD in dom and all(s in dom for s in LEADERS)
    assert re.findall(r"<th>(.*?)</th>", dom)[:4] == ["区域", "应参训人数", "参训人数", "参训率"]


def test_the_pdf_prints_the_chinese(drafted):
    try:
        cjk_family()
    except MissingFont as exc:
        pytest.skip(f"no PDF text to check: {exc}")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (optional system package poppler-utils)")
    text = subprocess.run(["pdftotext", str(drafted["pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert f"{ITP2}学情通报" in flat and "第2期（总第2期）" in flat
    assert re.sub(r"\s+", "", LEAD) in flat and re.sub(r"\s+", "", CHANGE) in flat
    assert "表1能力提升工程2.0各区培训情况（教师）" in flat and "【待填写】" in flat
    info = subprocess.run(["pdfinfo", str(drafted["pdf"])], capture_output=True, text=True).stdout
    assert "(A4)" in info


def test_a_bulletin_that_fails_its_checks_is_not_released(home, drafted, tmp_path, capsys):
    """A published 合计 that is not the sum of its rows: no file in the release folder, the reason in Chinese."""
    broken = tmp_path / "home"
    broken.mkdir()
    shutil.copy(home / "analytics.duckdb", broken / "analytics.duckdb")
    shutil.copytree(home / "bulletins", broken / "bulletins")  # an earlier draft of the same issue
    with duckdb.connect(str(broken / "analytics.duckdb")) as con:
        con.execute("update reports.report_itp2_district_teachers set expected_teachers = 6 "
                    "where district = '合计' and _export_date = '2022-09-26'")
    assert main(["bulletin", "--program", "itp2", "--period", "2201", "--home", str(broken)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("peixun bulletin: 通报未发布") and "合计行应参训人数为 6，但各行之和为 5" in err
    folder = broken / "bulletins" / "itp2" / "2201" / "2022-09-26"
    assert not [f for f in folder.iterdir() if f.name.startswith(f"{STEM}.")]  # the earlier draft is gone too


def test_a_tables_note_states_the_programs_own_rate():
    """The 口径 note reads each rate's counts from the program's configuration (reference.training_rates), at
    the grain whose counts the table prints: a program publishing 通过率 over participants says so."""
    rows = pd.DataFrame({"district": ["白云区"], "participants": [2], "course_completed": [1],
                         "enrollments_paid": [5], "enrollments_passed": [5], "pass_rate": ["50.00%"]})
    table = PublishedTable("program_districts", "2301", "2023-03-01", None, rows, pd.DataFrame({"pass_rate": [0.5]}))
    standard = {("course", "pass_rate"): ("通过率", "enrollments_passed", "enrollments_paid"),
                ("district", "pass_rate"): ("通过率", "enrollments_passed", "enrollments_paid")}
    own = {**standard, ("district", "pass_rate"): ("合格率", "course_completed", "participants")}
    assert _formula(table, "pass_rate", {}, standard) == ("enrollments_passed", "enrollments_paid")
    assert _formula(table, "pass_rate", {}, own) == ("course_completed", "participants")
    progress = PublishedTable("itp1_district_progress", "ALL", "2017-11-27", None,
                              pd.DataFrame({"district": ["花都区"], "full_time_teachers": [11137],
                                            "participants": [12604], "training_rate": ["100.00%+"]}),
                              pd.DataFrame({"training_rate": [1.1317]}))
    rules = {("district", "training_rate"): ("培训率", "participants", "expected_teachers")}
    assert _formula(progress, "training_rate", {}, rules) == ("participants", "full_time_teachers")


def test_an_unchanged_bulletin_is_not_drafted_again_and_a_changed_one_is(home, drafted, tmp_path):
    """Drafting the same edition from the same data leaves its files untouched (a night with nothing new);
    any change of its content, here the issuer in the configuration, writes it again."""
    again = tmp_path / "home"
    again.mkdir()
    shutil.copy(home / "analytics.duckdb", again / "analytics.duckdb")
    shutil.copytree(home / "bulletins", again / "bulletins")
    folder = again / "bulletins" / "itp2" / "2201" / "2022-09-26"
    before = {f.name: f.stat().st_mtime_ns for f in folder.iterdir()}

    same = draft(again, "itp2", "2201", formats=("docx", "html"))
    assert same.files == [folder / f"{STEM}.docx", folder / f"{STEM}.html"]
    assert {f.name: f.stat().st_mtime_ns for f in folder.iterdir()} == before

    config = load_bulletin_config().model_copy(update={"issuer": "某区教师发展中心"})
    changed = draft(again, "itp2", "2201", formats=("docx", "html"), config=config)
    assert changed.files == same.files
    assert sorted(f.name for f in folder.iterdir()) == [f"{STEM}.docx", f"{STEM}.html"]  # the old text's PDF is gone
    assert all(f.stat().st_mtime_ns != before[f.name] for f in changed.files)
    assert "某区教师发展中心" in "".join(p.text for p in Document(str(changed.files[0])).paragraphs)


@pytest.mark.parametrize(("args", "answer"), [
    (["--program", "x", "--period", "2201"], "unknown program 'x'; programs: "),
    (["--program", "itp2", "--period", "2209"], "能力提升工程2.0 has no period '2209'; periods: 2201"),
    (["--program", "itp2", "--period", "2201", "--as-of", "2022-09-20"],
     "能力提升工程2.0 2201 has no export dated 2022-09-20; dates: 2022-09-19, 2022-09-26"),
    (["--program", "itp2", "--period", "2201", "--district", "海珠区"],
     "no district '海珠区' in the 能力提升工程2.0 2201 tables; districts: 白云区, 市直属"),
])
def test_wrong_arguments_get_one_line_and_exit_code_2(home, args, answer, capsys):
    assert main(["bulletin", *args, "--home", str(home)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"peixun bulletin: {answer}") and err.count("\n") == 1


def test_the_charts_draw_the_tables_figures(home):
    """By hand (tests/scenario.py, second week): 公办 V1, V2 (19 paid enrollments, 18 learning, 17 passed,
    V1 completed); 民办 V3 (one paid, learning, not passed; V4 never logged in)."""
    bulletin = build_content(home / "analytics.duckdb", load_bulletin_config(), "itp2", "2201")
    by_district, ownership, trend = bulletin.charts
    assert by_district.categories == ["白云区", "市直属"]  # the table's order, no 合计
    assert by_district.value_labels == {"参训率": ["66.67%", "50.00%"], "完成率(按应参训)": ["33.33%", "0.00%"]}
    assert ownership.categories == ["公办", "民办"]
    assert ownership.value_labels == {"完成率(按实参训)": ["50.00%", "0.00%"], "学习率": ["94.74%", "100.00%"],
                                      "通过率": ["89.47%", "0.00%"]}
    assert trend.kind == "line" and trend.categories == ["2022-09-19", "2022-09-26"]
    assert trend.value_labels["通过率"] == ["89.47%", "85.00%"]
    assert all(render(chart).startswith(b"\x89PNG") for chart in bulletin.charts)


def test_rates_are_rounded_half_up():
    assert [format_rate(1, 800), format_rate(1, 1600), format_rate(2, 3), format_rate(113, 100)] == [
        "0.13%", "0.06%", "66.67%", "113.00%"]


def test_a_districts_edition_has_its_rows_its_schools_and_those_below_the_city(home, drafted):
    """市直属: school S2 二中 (民办): V3 and V4, V3 logged in, one paid enrollment, not passed (0.00%
    against the city's 85.00%)."""
    out = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(out):
        assert main(["bulletin", "--program", "itp2", "--period", "2201", "--district", "市直属", "--format",
                     "docx,html", "--home", str(home)]) == 0
    folder = drafted["docx"].parent
    stem = f"{ITP2}学情通报（市直属）_2201_2022-09-26"
    assert out.getvalue().split() == [str(folder / f"{stem}.docx"), str(folder / f"{stem}.html")]
    assert all(path.exists() for path in drafted.values())  # the city edition stays beside it
    document = Document(str(folder / f"{stem}.docx"))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    for grid, name in zip(tables, ("itp2_district_teachers", "itp2_district_enrollments"), strict=False):
        assert grid[1:] == [row for row in peixun_table(home, name)[1:] if row[0] in ("市直属", "合计")]
    assert tables[2] == [
        ["学校编号", "学校名称", "办学性质", "教师人数", "参训人数", "完成学习人数", "完成率(按实参训)",
         "学员选课已支付人次", "通过人次", "通过率"],
        ["S2", "二中", "民办", "2", "1", "0", "0.00%", "1", "0", "0.00%"],
    ]
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == f"{ITP2}学情通报（市直属）"
    assert "本区1所学校中，通过率低于全市（85.00%）的有1所：二中（0.00%）。" in texts


def test_a_wrong_count_or_a_school_wrongly_placed_below_the_city_is_caught():
    rows = pd.DataFrame({"school_name": ["一小", "二中"], "pass_rate": ["89.47%", "0.00%"]})
    schools = PublishedTable("school_training", "2201", "2022-09-26", "白云区各校培训情况", rows,
                             pd.DataFrame({"pass_rate": [17 / 19, 0.0]}))
    claim = Sentence("本区3所学校中，一小低于全市。", (Count(("一小", "二中"), "3", "学校数"),
                                                  Below(schools, "school_name", "一小", "pass_rate", 0.85)))
    assert check([claim]) == ["文中学校数为 3，但实有 2（一小、二中）", "文中称一小通过率低于全市，但其为 89.47%"]


def test_the_nightly_run_drafted_the_city_editions_and_the_digest_says_where(home):
    """The fixture's run_nightly: the active periods (ITP 2.0 2201 at 2022-09-26, 市常规远程培训 2201 at
    2022-06-30) got their city edition as DOCX and HTML, and the digest names the folders."""
    regular = home / "bulletins" / "regular" / "2201" / "2022-06-30"
    assert sorted(f.name for f in regular.iterdir()) == ["市常规远程培训学情通报_2201_2022-06-30.docx",
                                                         "市常规远程培训学情通报_2201_2022-06-30.html"]
    (kept,) = (home / "logs").glob("digest-*.txt")
    digest = kept.read_text(encoding="utf-8")
    assert f"学情通报：{ITP2} 2201期已起草，见 {home / 'bulletins' / 'itp2' / '2201' / '2022-09-26'}" in digest
    assert f"学情通报：市常规远程培训 2201期已起草，见 {regular}" in digest


def test_the_digest_e_mail_attaches_the_city_editions_docx(home, drafted):
    (run,) = recent_runs(home / "warehouse.duckdb", limit=1)
    line = f"学情通报：{ITP2} 2201期已起草，见 {drafted['docx'].parent}"
    with smtp_server() as (port, inbox):
        env = {"PEIXUN_SMTP_HOST": "127.0.0.1", "PEIXUN_SMTP_PORT": str(port), "PEIXUN_ALERT_EMAIL_TO": "o@example.cn"}
        send_run_digest(home, run["run_id"], env=env, bulletin_lines=[line], attachments=[drafted["docx"]])
    (message,) = inbox.messages
    assert line in message.get_body(("plain",)).get_content()
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == drafted["docx"].name
    assert attachment.get_content_type() == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert attachment.get_content() == drafted["docx"].read_bytes()


def test_a_districts_school_based_follow_up_counts(tmp_path):
    """校本研修 by school, summed over its 教研组 (a hand-made marts.fct_school_based_groups): 一小 has two
    groups (3 members, 2 reached; 2 members, both reached), 二中 one (4 members, 1 reached); 天河区 is not 白云区."""
    database = tmp_path / "analytics.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_school_based_groups (export_date date, program varchar, period varchar, "
                    "district varchar, school_id varchar, school_name varchar, group_id varchar, members integer, "
                    "reached integer, below integer)")
        con.execute("insert into marts.fct_school_based_groups values "
                    "('2022-09-26', '能力提升工程2.0', '2201', '白云区', 'S1', '一小', 'G1', 3, 2, 1), "
                    "('2022-09-26', '能力提升工程2.0', '2201', '白云区', 'S1', '一小', 'G2', 2, 2, 0), "
                    "('2022-09-26', '能力提升工程2.0', '2201', '白云区', 'S2', '二中', 'G3', 4, 1, 3), "
                    "('2022-09-26', '能力提升工程2.0', '2201', '天河区', 'S3', '三小', 'G4', 5, 0, 5), "
                    "('2022-09-19', '能力提升工程2.0', '2201', '白云区', 'S2', '二中', 'G3', 4, 0, 4)")
    program = Program(ITP2, "itp2", "", "应参训")
    table = school_based_followup(database, program, "2201", "2022-09-26", "白云区")
    assert table_cells(table) == [["S1", "一小", "5", "4", "1"], ["S2", "二中", "4", "1", "3"],
                                  ["合计", "", "9", "5", "4"]]
    sentence = followup_sentence(table, "白云区")
    assert sentence.text == "本区校本研修未达标4人，分布在2所学校。" and check([sentence]) == []
    assert school_based_followup(database, program, "2201", "2022-09-26", "越秀区") is None  # no 校本研修 there
