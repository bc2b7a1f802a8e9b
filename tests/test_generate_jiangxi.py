"""Export generator, Jiangxi 全员培训 (sample scale): vendors and cities as the notice's 附件1, each vendor its own
source folder and dialect, exports through the phases, the program's figures recomputed from the files as
delivered (the way the warehouse must read them)."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import fastexcel
import numpy as np
import pandas as pd
import pytest
from peixun_generator import jiangxi

from tests.test_generate import in_force, read_raw

VENDOR_SOURCES = ("jx_aopeng", "jx_hep", "jx_jiaopei", "jx_jjw", "jx_srt")
# 附件1 of 赣师训字〔2022〕1号: 承训网络培训机构与对接设区市信息表.
ANNEX_1 = {
    "北京教培师训网络科技股份有限公司": ["赣州市"],
    "高等教育出版社": ["九江市", "南昌市"],
    "北京尚睿通教育科技股份有限公司": ["上饶市", "鹰潭市", "新余市"],
    "北京继教网教育科技发展有限公司": ["吉安市", "抚州市"],
    "北京奥鹏远程教育中心有限公司": ["宜春市", "萍乡市", "景德镇市"],
}
PLATFORM = {"jx_jiaopei": "北京教培师训网络科技股份有限公司", "jx_hep": "高等教育出版社",
            "jx_srt": "北京尚睿通教育科技股份有限公司", "jx_jjw": "北京继教网教育科技发展有限公司",
            "jx_aopeng": "北京奥鹏远程教育中心有限公司"}
CITY_HEADERS = {
    "教师信息": "教师编号 身份证号 姓名 设区市 区域 学校编号 学校名称 办学性质 学段 任教学科 是否专任教师 在职状态 "
    "持有教师资格证",
    "课程目录": "课程编号 课程名称 培训项目 期次 课程类别 社区 学科 学时 辅导教师编号",
    "选课记录": "选课编号 教师编号 课程编号 期次 选课时间 支付状态 学习进度 是否通过 获得学时 通过时间",
    "考核结果": "教师编号 培训项目 学年度 考核结果 考核时间",
}
VENDOR_HEADERS = {
    "教师信息": "学员编号 证件号码 学员姓名 所属地市 所属区县 单位编码 单位名称 学校类型 任教学段 学科 专任教师 "
    "人员状态 教师资格证",
    "课程目录": "课程代码 课程名称 项目名称 培训期次 课程类型 所属社区 学科 课程学时 辅导老师工号",
    "选课记录": "订单号 学员编号 课程代码 培训期次 报名时间 是否缴费 学习进度 考核结果 获得学时 合格时间",
    "考核结果": "学员编号 项目名称 学年 考核结论 考核日期",
}
CANON = {
    "教师信息": "teacher_id national_id name city district school_id school_name ownership stage subject full_time "
    "status certificate",
    "课程目录": "course_id course_name program period category community subject hours tutor_id",
    "选课记录": "enrollment_id teacher_id course_id period enrolled_at paid progress passed hours_earned passed_at",
    "考核结果": "teacher_id program school_year result assessed_at",
}
YES = {"是", "有", "Y", "通过", "合格"}
DATES = ("2022-07-20", "2022-09-05", "2022-10-20")


@pytest.fixture(scope="module")
def jx(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("jiangxi")
    return out, jiangxi.generate("sample", out, 2201)


def read(path: Path) -> tuple[list[str], pd.DataFrame]:
    """Header and all-text rows as delivered: a workbook's title row skipped, a CSV in UTF-8 (BOM) or GB18030."""
    if path.suffix == ".xlsx":
        return read_raw(path)
    encoding = "utf-8-sig" if path.read_bytes().startswith(b"\xef\xbb\xbf") else "gb18030"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    return list(frame.columns), frame


def _text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda s: s.map(lambda v: unicodedata.normalize("NFKC", v).strip()))


def files_of(root: Path, source: str, day: str) -> dict[str, pd.DataFrame]:
    """Entity -> canonical, NFKC-folded text rows of the file in force; rows without a key or repeating one dropped."""
    out = {}
    for entity, path in in_force(root / source / day).items():
        frame = _text(read(path)[1])
        frame.columns = CANON[entity].split()
        key = {"教师信息": ["teacher_id"], "选课记录": ["enrollment_id"], "课程目录": ["course_id"],
               "考核结果": ["teacher_id", "program", "school_year"]}[entity]
        frame = frame[(frame[key] != "").all(axis=1) & ~frame.duplicated(key)]
        out[entity] = frame
    return out


def _short(city: pd.Series) -> pd.Series:
    return city.str.removesuffix("市")


def jiangxi_teachers(root: Path, day: str = DATES[-1]) -> pd.DataFrame:
    """Per teacher of every vendor at ``day``: city (short), hours earned (passed courses), studied, 考核结果,
    credited hours and credits as PROGRAMS.md section 3 defines them (floor)."""
    parts = []
    for source in VENDOR_SOURCES:
        s = files_of(root, source, day)
        e = s["选课记录"]
        e = e[pd.to_numeric(e["progress"].str.rstrip("%"), errors="coerce").between(0, 100)]
        passed = e["passed"].isin(YES)
        e = e.assign(progress=pd.to_numeric(e["progress"].str.rstrip("%")),
                     hours=pd.to_numeric(e["hours_earned"]).where(passed, 0))  # hours of passed courses
        per = e.groupby("teacher_id").agg(hours=("hours", "sum"), progress=("progress", "max"))
        t = s["教师信息"].set_index("teacher_id")
        frame = t[["city", "district", "school_id", "status", "certificate"]].join(per, how="left")
        if "考核结果" in s:
            r = s["考核结果"].set_index("teacher_id")
            frame = frame.join(r[["result", "assessed_at"]], how="left")
        else:
            frame = frame.assign(result="", assessed_at="")
        parts.append(frame.reset_index().assign(source=source))
    out = pd.concat(parts, ignore_index=True).fillna({"hours": 0, "progress": 0, "result": ""})
    out["city"] = _short(out["city"])
    out["studied"] = (out["progress"] > 0) | (out["hours"] > 0)
    out["qualified"] = out["result"] == "合格"
    out["credited_hours"] = np.where(out["qualified"], np.minimum(out["hours"], 60), 0)
    out["credits"] = out["credited_hours"] // 20
    out["eligible"] = (out["status"] == "在职") & out["certificate"].isin(YES)
    return out


def test_sources_dialects_and_headers(jx: tuple[Path, dict]) -> None:
    root, written = jx
    assert sorted(p.name for p in root.iterdir()) == ["bureau_jx", *VENDOR_SOURCES]
    assert sorted({f.split("/")[0] for f in written}) == ["bureau_jx", *VENDOR_SOURCES]
    containers = {}
    for name in written:
        source, day, file = name.split("/")
        entity = re.match(r"^([^_.]+)", file)[1]
        path = root / name
        header, _ = read(path)
        if source in ("jx_aopeng", "bureau_jx"):
            assert path.suffix == ".csv" and path.read_bytes().startswith(b"\xef\xbb\xbf"), name
            if source == "jx_aopeng":
                assert header == CITY_HEADERS[entity].split(), name
        else:
            assert header == VENDOR_HEADERS[entity].split(), name
            assert re.fullmatch(rf"{entity}_{day.replace('-', '')}\.(xlsx|csv)", file), name
            if path.suffix == ".xlsx":
                title = fastexcel.read_excel(path).load_sheet(0, header_row=None, n_rows=1).to_pandas().iat[0, 0]
                assert re.fullmatch(r".+（截止2022年\d+月\d+日）", title), name
        containers.setdefault(source, set()).add(path.suffix)
    assert containers == {"bureau_jx": {".csv"}, "jx_aopeng": {".csv"}, "jx_srt": {".csv"}, "jx_hep": {".xlsx"},
                          "jx_jiaopei": {".xlsx"}, "jx_jjw": {".xlsx"}}
    srt = root / "jx_srt" / "2022-10-20" / "选课记录_20221020.csv"
    srt.read_bytes().decode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        srt.read_bytes().decode("utf-8")
    assert (root / "bureau_jx" / "2022-07-05" / "承训机构.csv").read_text("utf-8-sig").splitlines()[0] == \
        "承训机构,对接地市,培训项目,学年度,单价(元/学时)"


def test_vendors_and_cities_as_annex_1(jx: tuple[Path, dict]) -> None:
    root, _ = jx
    bureau = _text(pd.read_csv(root / "bureau_jx" / "2022-07-05" / "承训机构.csv", dtype=str, encoding="utf-8-sig"))
    assert bureau.groupby("承训机构", sort=False)["对接地市"].apply(list).to_dict() == ANNEX_1
    assert set(bureau["培训项目"]) == {"全员培训"} and set(bureau["学年度"]) == {"2021-2022"}
    assert set(bureau["单价(元/学时)"]) == {"1.5"}
    assert not bureau["对接地市"].duplicated().any()  # every city has exactly one vendor
    teachers = jiangxi_teachers(root)
    served = teachers.groupby("source")["city"].apply(lambda c: sorted(set(c))).to_dict()
    annex = {s: sorted(_short(pd.Series(ANNEX_1[PLATFORM[s]]))) for s in VENDOR_SOURCES}
    annex["jx_hep"] = sorted([*annex["jx_hep"], "赣江新区"])
    assert served == annex
    new_area = teachers[teachers["city"] == "赣江新区"]
    assert 0 < len(new_area) <= 10 and new_area["studied"].any() and (new_area["credits"] > 0).any()
    raw_city = {s: set(files_of(root, s, DATES[-1])["教师信息"]["city"]) for s in VENDOR_SOURCES}
    assert "吉安市" in raw_city["jx_jjw"] and "九江" in raw_city["jx_hep"]  # long and short forms both delivered


def test_exports_through_the_phases(jx: tuple[Path, dict]) -> None:
    root, _ = jx
    for source in VENDOR_SOURCES:
        assert sorted(p.name for p in (root / source).iterdir()) == list(DATES)
        entities = [sorted(in_force(root / source / d)) for d in DATES]
        assert entities == [["教师信息", "课程目录", "选课记录"]] * 2 + [
            ["教师信息", "考核结果", "课程目录", "选课记录"]]
    early, mid, late = (jiangxi_teachers(root, d) for d in DATES)
    assert not early["studied"].any()  # 07-20 is in 报名、注册: courses selected, nothing studied yet
    assert 0 < mid["studied"].sum() < late["studied"].sum()
    assert (mid.set_index(["source", "teacher_id"])["hours"]
            <= late.set_index(["source", "teacher_id"])["hours"]).all()  # snapshots never fall

    def dates(day: str, entity: str, column: str) -> pd.Series:
        values = pd.concat([files_of(root, s, day)[entity][column] for s in VENDOR_SOURCES])
        values = values[values != ""].str.replace("年", "-").str.replace("月", "-").str.replace("日", "")
        return pd.to_datetime(values.str.replace("/", "-"), format="mixed").dt.normalize()

    passed = dates(DATES[-1], "选课记录", "passed_at")
    assert passed.min() >= pd.Timestamp("2022-07-23")  # 网络研修 opens on 07-23
    late_study = (passed > pd.Timestamp("2022-09-30")).sum()
    assert 0 < late_study < 0.05 * len(passed)  # study recorded after 网络研修 closed: a few
    assessed = dates(DATES[-1], "考核结果", "assessed_at")
    outside = ~assessed.between(pd.Timestamp("2022-10-01"), pd.Timestamp("2022-10-15"))
    assert 0 < outside.sum() < 0.02 * len(assessed)


def test_the_program_s_cases_are_in_the_data(jx: tuple[Path, dict]) -> None:
    root, _ = jx
    t = jiangxi_teachers(root)
    studied = t[t["studied"]]
    assert (t["district"] != "开发区").sum() == 1000 + 6  # the cities' teachers and 赣江新区's; 开发区: a trap
    assert 0.8 < studied.shape[0] / len(t) < 0.95
    assert (t["qualified"] & (t["hours"] > 60)).any()  # 75 h 合格 → 3: credited hours capped at 60
    assert (t["qualified"] & t["hours"].between(40, 59)).any()  # 50 h 合格 → 2
    assert (~t["qualified"] & (t["hours"] >= 60) & (t["result"] == "不合格")).any()  # 60 h 不合格 → 0
    assert (studied["result"] == "").sum() == 0  # everyone who studied was assessed
    assert (t["studied"] & ~t["certificate"].isin(YES)).any()  # trainees without a certificate
    assert (~t["eligible"]).any() and t["eligible"].mean() > 0.85
    assert set(t["credits"]) == {0, 1, 2, 3}
    paid = pd.concat([files_of(root, s, DATES[-1])["选课记录"]["paid"] for s in VENDOR_SOURCES])
    assert {"是", "否", "已支付", "未支付"} <= set(paid)  # 支付状态 says anything: teachers never pay


def test_jiangxi_writes_only_its_own_folders(tmp_path: Path, jx: tuple[Path, dict]) -> None:
    other = tmp_path / "gz_city" / "2022-06-30"
    other.mkdir(parents=True)
    (other / "教师信息.csv").write_text("kept", encoding="utf-8")
    shutil.copytree(jx[0] / "jx_hep", tmp_path / "jx_hep")  # an older Jiangxi export is replaced, not added to
    (tmp_path / "jx_hep" / "2022-01-01").mkdir()
    written = jiangxi.generate("sample", tmp_path, 2201)
    assert (other / "教师信息.csv").read_text(encoding="utf-8") == "kept"
    assert not (tmp_path / "jx_hep" / "2022-01-01").exists()
    assert written == jx[1]
