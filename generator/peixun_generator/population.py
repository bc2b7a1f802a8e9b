"""People and schools: one row per real teacher, shared by every source via national_id."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .constants import (
    CITY_DIRECT,
    CITY_DIRECT_ALIASES,
    DISTRICT_CODES,
    DISTRICTS,
    PRESCHOOL_ALIAS,
    PRESCHOOL_SUBJECT,
    STAGES,
    STATUSES,
)

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = list(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彩春菊凤洁梅琳素云莲真环雪荣爱妹香月莺媛"
    "瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑"
    "婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
    "志俊斌文浩宇鹏辉建国宏伟海波东昊天成立新振家晨鑫"
)
SCHOOL_WORDS = (
    "实验", "育才", "中心", "华侨", "东山", "先烈", "执信", "培英", "协和", "明德", "启明",
    "育英", "朝阳", "晓港", "龙洞", "石牌", "东风", "桥东", "沙园", "景泰", "江南", "星河",
)
STAGE_SUFFIX = {
    "幼儿园": "幼儿园", "小学": "小学", "初中": "中学", "高中": "高级中学",
    "中职": "职业技术学校", "特殊教育": "启智学校",
}
STAGE_SCHOOL_SHARE = np.array([0.30, 0.36, 0.15, 0.09, 0.06, 0.04])
STAGE_SCHOOL_SIZE = np.array([18.0, 55.0, 70.0, 110.0, 90.0, 30.0])
PRIVATE_SHARE = np.array([0.22, 0.06, 0.08, 0.05, 0.10, 0.0])
PRIMARY_SUBJECTS = ("语文", "数学", "英语", "体育", "音乐", "美术", "科学", "信息技术", "思品", "综合实践活动")
PRIMARY_WEIGHTS = np.array([30, 26, 12, 7, 5, 5, 5, 3, 4, 3], dtype=float)
SECONDARY_SUBJECTS = (
    "语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "政治", "体育", "音乐", "美术", "信息技术",
)
SECONDARY_WEIGHTS = np.array([16, 16, 15, 8, 7, 6, 6, 5, 6, 7, 3, 3, 2], dtype=float)
STATUS_WEIGHTS = np.array([0.955, 0.015, 0.02, 0.01])
MOBILE_PREFIXES = np.array([130, 131, 132, 135, 136, 137, 138, 139, 150, 151, 152, 158, 159, 186, 188, 189, 199])
BIRTH_REGIONS = np.array(["440200", "440300", "440500", "440600", "441300", "441900", "445200"])
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
ID_CHECK = np.array(list("10X98765432"))


def _pick(options: tuple[str, ...], weights: np.ndarray | None, n: int, rng: np.random.Generator) -> np.ndarray:
    p = None if weights is None else weights / weights.sum()
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=n, p=p)]


def national_ids(region: np.ndarray, rng: np.random.Generator, taken: np.ndarray | None = None) -> np.ndarray:
    """Unique, well-formed (fake) 18-character resident ID numbers for the given region codes."""
    out = np.empty(region.size, dtype=object)
    todo = np.arange(region.size)
    while todo.size:
        birth = np.datetime64("1962-01-01") + rng.integers(0, 13_500, size=todo.size).astype("timedelta64[D]")
        body = np.char.add(
            np.char.add(region[todo].astype(str), np.char.replace(np.datetime_as_string(birth, unit="D"), "-", "")),
            np.char.zfill(rng.integers(0, 1000, size=todo.size).astype(str), 3),
        )
        digits = np.frombuffer(body.astype("S17").tobytes(), dtype=np.uint8).reshape(-1, 17).astype(np.int64) - 48
        out[todo] = np.char.add(body, ID_CHECK[(digits @ ID_WEIGHTS) % 11]).astype(object)
        ids = pd.Series(out)
        clash = ids.duplicated() | (ids.isin(taken) if taken is not None else False)
        todo = np.flatnonzero(clash.to_numpy())
    return out


def names(n: int, rng: np.random.Generator) -> np.ndarray:
    """Plausible Chinese full names (one- or two-character given names)."""
    surname = np.asarray(SURNAMES, dtype=object)[np.minimum(rng.geometric(0.045, n) - 1, len(SURNAMES) - 1)]
    given = np.asarray(GIVEN, dtype=object)
    first = given[rng.integers(0, given.size, n)]
    second = np.where(rng.random(n) < 0.7, given[rng.integers(0, given.size, n)], "")
    return surname + first + second


def phones(n: int, rng: np.random.Generator) -> np.ndarray:
    """Mobile numbers; about 3% missing (optional field)."""
    number = MOBILE_PREFIXES[rng.integers(0, MOBILE_PREFIXES.size, n)] * 10**8 + rng.integers(0, 10**8, n)
    out = number.astype(str).astype(object)
    out[rng.random(n) < 0.03] = None
    return out


def _schools(sizes: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for d, size in enumerate(sizes):
        n = max(8, int(size) // 55)
        stage = rng.choice(len(STAGES), size=n, p=STAGE_SCHOOL_SHARE)
        stage[: len(STAGES)] = np.arange(len(STAGES))
        seq = np.arange(n)
        rank = pd.Series(stage).groupby(stage).cumcount().to_numpy()
        words = np.asarray(SCHOOL_WORDS, dtype=object)
        numbered = "第" + (rank - words.size + 1).astype(str).astype(object)
        word = np.where(rank < words.size, words[np.minimum(rank, words.size - 1)], numbered)
        place = "广州市" if DISTRICTS[d] == "市直属" else "广州市" + DISTRICTS[d]
        suffix = np.asarray([STAGE_SUFFIX[STAGES[s]] for s in range(len(STAGES))], dtype=object)[stage]
        rows.append(pd.DataFrame({
            "district": d,
            "school_id": [f"21{DISTRICT_CODES[d][2:]}{s + 1}{i:03d}" for s, i in zip(stage, seq, strict=True)],
            "school_name": place + word + suffix,
            "stage_idx": stage,
            "school_ownership": np.where(rng.random(n) < PRIVATE_SHARE[stage], "民办", "公办"),
            "weight": STAGE_SCHOOL_SIZE[stage] * rng.gamma(4.0, 0.25, n),
        }))
    return pd.concat(rows, ignore_index=True)


def _subjects(stage: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = stage.size
    out = np.where(rng.random(n) < 0.6, "语文", "数学").astype(object)
    stage_name = np.asarray(STAGES, dtype=object)[stage]
    primary = np.isin(stage_name, ["小学", "特殊教育"])
    out[primary] = _pick(PRIMARY_SUBJECTS, PRIMARY_WEIGHTS, int(primary.sum()), rng)
    secondary = np.isin(stage_name, ["初中", "高中"])
    out[secondary] = _pick(SECONDARY_SUBJECTS, SECONDARY_WEIGHTS, int(secondary.sum()), rng)
    out[stage_name == "幼儿园"] = PRESCHOOL_SUBJECT
    out[stage_name == "中职"] = "中职"
    return out


def build_persons(sizes: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """``sizes[d]`` people in district d, ordered by district, with their school and post."""
    schools = _schools(sizes, rng)
    district = np.repeat(np.arange(len(DISTRICTS)), sizes)
    school = np.empty(district.size, dtype=np.int64)
    for d in range(len(DISTRICTS)):
        mine = np.flatnonzero(schools["district"].to_numpy() == d)
        w = schools["weight"].to_numpy()[mine]
        school[district == d] = mine[rng.choice(mine.size, size=int(sizes[d]), p=w / w.sum())]
    n = district.size
    region = np.asarray(DISTRICT_CODES)[district]
    moved = rng.random(n) < 0.25  # born elsewhere in Guangdong
    region = np.where(moved, rng.choice(BIRTH_REGIONS, n), region)
    stage = schools["stage_idx"].to_numpy()[school]
    return pd.DataFrame({
        "district": district,
        "national_id": national_ids(region, rng),
        "name": names(n, rng),
        "phone": phones(n, rng),
        "school_id": schools["school_id"].to_numpy()[school],
        "school_name": schools["school_name"].to_numpy()[school],
        "school_ownership": schools["school_ownership"].to_numpy()[school],
        "stage": np.asarray(STAGES, dtype=object)[stage],
        "subject": _subjects(stage, rng),
        "is_full_time": rng.random(n) < 0.93,
        "status": _pick(STATUSES, STATUS_WEIGHTS, n, rng),
    })


def extend(persons: pd.DataFrame, need: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """``persons`` plus newcomers wherever a district has fewer than ``need[d]`` people.

    A newcomer takes the school and post of a random colleague of the district and gets a new
    identity (national ID unique among everyone, name, phone). Existing rows are unchanged.
    """
    district = persons["district"].to_numpy()
    have = np.bincount(district, minlength=len(DISTRICTS))
    short = np.maximum(np.asarray(need, dtype=np.int64) - have, 0)
    if not short.any():
        return persons
    by_district = np.argsort(district, kind="stable")
    first = np.cumsum(have) - have
    d = np.repeat(np.arange(len(DISTRICTS)), short)
    template = by_district[first[d] + (rng.random(d.size) * have[d]).astype(np.int64)]
    new = persons.iloc[template].reset_index(drop=True)
    region = new["national_id"].str.slice(0, 6).to_numpy().astype(str)
    new["national_id"] = national_ids(region, rng, taken=persons["national_id"].to_numpy())
    new["name"] = names(d.size, rng)
    new["phone"] = phones(d.size, rng)
    return pd.concat([persons, new], ignore_index=True)


def roster(persons: pd.DataFrame, index: np.ndarray, teacher_no: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """One source's teacher rows for ``persons[index]``, district/subject aliases as that source writes them."""
    sub = persons.iloc[index].reset_index(drop=True)
    n = len(sub)
    district = np.asarray(DISTRICTS, dtype=object)[sub["district"].to_numpy()]
    u = rng.random(n)
    direct = sub["district"].to_numpy() == DISTRICTS.index(CITY_DIRECT)
    district[direct & (u < 0.25)] = CITY_DIRECT_ALIASES[0]
    district[direct & (u >= 0.25) & (u < 0.40)] = CITY_DIRECT_ALIASES[1]
    subject = sub["subject"].to_numpy().copy()
    subject[(subject == PRESCHOOL_SUBJECT) & (rng.random(n) < 0.3)] = PRESCHOOL_ALIAS
    out = sub.assign(teacher_no=np.asarray(teacher_no, dtype=np.int64), district=district, subject=subject,
                     person=np.asarray(index, dtype=np.int64))
    return out.sort_values("teacher_no", kind="stable").reset_index(drop=True)
