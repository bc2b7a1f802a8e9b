"""Course-name vocabularies for the two programs' catalogs."""

from __future__ import annotations

import numpy as np

from .constants import PUBLIC_CATEGORY, SUBJECTS

REGULAR_TOPICS = (
    "课堂教学设计与实施", "单元整体教学设计", "核心素养导向的课堂教学", "作业设计与评价", "大概念教学实践",
    "项目式学习设计", "学业质量评价", "跨学科主题学习", "信息技术与学科教学融合", "教学反思与专业成长",
    "新课程标准解读", "情境教学策略", "分层教学与个别化指导", "课堂观察与诊断", "校本教研实践",
    "学习方式变革", "教学评一致性", "深度学习的课堂实践", "命题与试题分析", "实验与实践教学创新",
)
PUBLIC_TITLES = ("师德修养与教师职业行为规范", "中小学教师心理健康与压力调适")
STAGE_PREFIX = ("小学", "初中", "高中", "")
ABILITY_POINTS = (
    "A1技术支持的学情分析", "A2数字教育资源获取与评价", "A3演示文稿设计与制作", "A4数字教育资源管理",
    "A5技术支持的课堂导入", "A6技术支持的课堂讲授", "A7技术支持的总结提升", "A8信息化教学设计",
    "A9学习小组组织与管理", "A10技术支持的发现与解决问题", "A11技术支持的测验与练习", "A12家校交流与合作",
    "A13微课程设计与制作", "B1网络教学平台的应用", "B2探究型学习活动设计", "B3技术支持的展示交流",
    "B4学习过程监测与分析", "B5评价数据的伴随性采集", "B6技术支持的课堂管理", "B7跨学科学习活动设计",
    "C1创造真实学习情境", "C2学习活动设计与组织", "C3自评与互评活动的组织", "C4数据可视化呈现与解读",
    "C5技术支持的学生个性化学习",
)
CATEGORIES = ("专业必修", "通识必修", "任意选修", "网络研修")
CATEGORY_WEIGHTS = np.array([0.45, 0.20, 0.20, 0.15])


SUBJECT_STAGES = {
    "幼教": ("",), "中职": ("",), "思品": ("小学", "初中", ""), "科学": ("小学", "初中", ""),
    "综合实践活动": ("小学", "初中", ""), "物理": ("初中", "高中", ""), "化学": ("初中", "高中", ""),
    "生物": ("初中", "高中", ""), "历史": ("初中", "高中", ""), "地理": ("初中", "高中", ""),
    "政治": ("初中", "高中", ""),
}


def _prefixes(subject: str) -> tuple[str, ...]:
    """Stage prefixes a course title may carry for this subject (chemistry is not a primary subject)."""
    return SUBJECT_STAGES.get(subject, STAGE_PREFIX)


def regular_names(n: int, public: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Distinct regular course names and subjects; public (公需) courses get the general titles."""
    combos = np.array(
        [(p + s, t, s) for s in SUBJECTS for p in _prefixes(s) for t in REGULAR_TOPICS], dtype=object
    )
    pick = combos[rng.choice(len(combos), size=n, replace=False)]
    name = pick[:, 0] + pick[:, 1]
    subject = pick[:, 2].copy()
    name[public] = np.asarray(PUBLIC_TITLES, dtype=object)[: int(public.sum())]
    subject[public] = "全学科"
    return name, subject


def regular_categories(n: int, public: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Category and community of each regular course."""
    category = np.asarray(CATEGORIES, dtype=object)[rng.choice(len(CATEGORIES), size=n, p=CATEGORY_WEIGHTS)]
    category[public] = PUBLIC_CATEGORY
    community = np.where(category == "网络研修", "研修社区", "学习社区").astype(object)
    community[public] = None
    return category, community


def itp2_names(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ITP 2.0 micro-ability course names and their subjects."""
    combos = np.array(
        [(a, p + s, s) for a in ABILITY_POINTS for s in SUBJECTS for p in _prefixes(s)], dtype=object
    )
    pick = combos[rng.choice(len(combos), size=n, replace=False)]
    general = rng.random(n) < 0.3
    name = np.where(general, pick[:, 0], pick[:, 0] + "（" + pick[:, 1] + "）")
    subject = np.where(general, "全学科", pick[:, 2])
    return name.astype(object), subject.astype(object)


ITP1_TOPICS = (
    "学情分析与教学设计", "多媒体课件设计与制作", "数字教育资源获取与加工", "技术支持的课堂讲授",
    "交互式课堂教学活动", "技术支持的学习评价", "微课设计与应用", "信息化教学案例研讨",
)


def itp1_names(subject: np.ndarray, learning: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """ITP 1.0 course names: 学习社区 《技术支持的“学科”课堂教学》 by topic, 研修社区 one per subject."""
    label = np.where(subject == "幼教", "幼儿园", subject).astype(object)
    topic = np.asarray(ITP1_TOPICS, dtype=object)[np.asarray(rank) % len(ITP1_TOPICS)]
    course = "技术支持的" + label + "课堂教学：" + topic
    return np.where(learning, course, "数字化学习环境下的学习组织与评价（" + label + "）").astype(object)
