"""The nightly digest to the project office: short, in Chinese, errors first, never a person's data.

Built only from the load manifest (sources, files, counts), the check outcomes (districts,
courses, files and their numbers), the run's failure and, for a rejected file, example rows
from quarantine as parsed (PII columns only as a hash prefix; a line that could not be split
into columns is never shown), so no national ID, name or phone can reach it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from dagster_project.defs.quality.policy import Severity
from dagster_project.defs.quality.results import CheckOutcome


@dataclass(frozen=True)
class SourceLoad:
    source: str
    export_dates: str  # "2022-06-23、2022-06-30"
    files: int
    rows: int
    quarantined: int


@dataclass(frozen=True)
class Alert:
    severity: Severity
    title: str
    message: str
    fingerprint: str  # stable for the same check and subject, night after night


@dataclass(frozen=True)
class RejectionReason:
    rule: str  # "支付状态 (paid): expected a yes/no value ..."
    rows: int
    line: int | None  # the first line that broke it
    example: str  # that line's raw values ("选课编号=E1，支付状态=已缴清"; PII hashed), "" when it has no columns


@dataclass(frozen=True)
class RejectedFile:
    """A file rejected as a format change: too many of its rows failed, nothing of it was loaded."""

    file: str
    raw_rows: int
    failed_rows: int
    limit: float  # the largest share of failing rows that still loads
    reasons: tuple[RejectionReason, ...]  # the most common first


@dataclass(frozen=True)
class ProgramPhase:
    """The phase (阶段) a program year's latest export is in (marts.fct_export_phases)."""

    program: str  # name_zh
    school_year: str
    export_date: dt.date
    phase: str | None  # None: between or after the calendar's stages
    ends_on: dt.date | None
    days_left: int | None
    next_phase: str | None
    next_phase_kind: str | None  # stage | deadline
    next_phase_on: dt.date | None

    @property
    def line(self) -> str:
        head = f"{self.program} {self.school_year}：最新导出（{self.export_date}）"
        now = (f"处于“{self.phase}”阶段（至 {self.ends_on}，还剩 {self.days_left} 天）" if self.phase
               else "不在任何阶段内")
        if self.next_phase_kind == "deadline":
            after = f"；下一节点“{self.next_phase}”{self.next_phase_on} 截止"
        elif self.next_phase:
            after = f"；下一阶段“{self.next_phase}”{self.next_phase_on} 开始"
        else:
            after = "；日程已全部结束"
        return f"{head}{now}{after}。"


@dataclass(frozen=True)
class RunFacts:
    """What the warehouse says about one run."""

    loads: list[SourceLoad] = field(default_factory=list)
    failed_files: list[tuple[str, str]] = field(default_factory=list)  # (file, message)
    outcomes: list[CheckOutcome] = field(default_factory=list)
    rejected_files: list[RejectedFile] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # hidden source folders (name starts with a dot), not read
    phases: list[ProgramPhase] = field(default_factory=list)  # each program year's latest export and its phase
    kept_version: str | None = None  # a night with nothing new: the published version it kept (fingerprint.py)


@dataclass(frozen=True)
class Digest:
    subject: str
    body: list[str]  # may be cut short to fit a robot's message limit
    footer: list[str]  # always kept: where the Data Docs are, the run id
    attachments: tuple[Path, ...] = ()  # files the e-mail attaches (the night's bulletins, DOCX)

    @property
    def text(self) -> str:
        return "\n".join(self.body + self.footer)

    def fit(self, limit_bytes: int) -> str:
        """The text within `limit_bytes` of UTF-8: whole lines, the footer kept, a note where it was cut."""
        if len(self.text.encode()) <= limit_bytes:
            return self.text
        cut = "……（内容过长已截断，完整内容见邮件或数据文档）"
        budget = limit_bytes - len("\n".join([cut, *self.footer]).encode()) - 1
        kept: list[str] = []
        for line in self.body:
            size = len("\n".join([*kept, line]).encode())
            if size > budget:
                break
            kept.append(line)
        return "\n".join([*kept, cut, *self.footer])


def fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def alerts_of(facts: RunFacts, failure: str | None) -> list[Alert]:
    """Every alert of a run: the run's failure, unreadable files, then each failed check's subjects."""
    alerts = []
    if failure:
        alerts.append(Alert(Severity.ERROR, "运行失败", failure, fingerprint("run_failed", failure)))
    alerts += [
        Alert(Severity.ERROR, "导出文件无法读取", message, fingerprint("load_failed", file))
        for file, message in facts.failed_files
    ]
    alerts += [
        Alert(Severity.ERROR, "导出文件格式变化，整个文件未导入", _rejection(rejected),
              fingerprint("load_rejected", rejected.file))
        for rejected in facts.rejected_files
    ]
    hidden = "文件夹名以“.”开头，按约定不读取；如是平台的导出，请去掉“.”"
    alerts += [
        Alert(Severity.WARN, "来源文件夹未读取", f"{folder}：{hidden}", fingerprint("folder_skipped", folder))
        for folder in facts.skipped
    ]
    alerts += [
        Alert(outcome.severity, outcome.title, subject.message, subject.fingerprint)
        for outcome in facts.outcomes
        for subject in outcome.subjects
    ]
    return alerts


def _rejection(rejected: RejectedFile) -> str:
    """A rejected file and its most common reasons, one line each, with the first line that broke it."""
    share = f"{rejected.failed_rows / rejected.raw_rows:.2%}" if rejected.raw_rows else "—"
    lines = [
        f"{rejected.file}：{rejected.raw_rows} 行中 {rejected.failed_rows} 行无法读取（{share}），"
        f"超过拒收阈值 {rejected.limit * 100:g}%，视为格式变化：整个文件未导入，此前导入的数据继续有效。最常见的原因："
    ]
    for number, reason in enumerate(rejected.reasons, start=1):
        example = f"第 {reason.line} 行" + (f" {reason.example}" if reason.example else "")
        lines.append(f"      {number}. {reason.rule}（{reason.rows} 行；例：{example}）")
    return "\n".join(lines)


def compose(run_id: str, run_at: dt.datetime, facts: RunFacts, alerts: list[Alert], continuing: set[str],
            data_docs: Path | None, max_per_title: int) -> Digest:
    """The digest: conclusion, sources loaded, each program year's phase, errors, then warnings (new before
    continuing)."""
    errors = [a for a in alerts if a.severity is Severity.ERROR]
    warnings = [a for a in alerts if a.severity is Severity.WARN]
    blocked = any(o.blocks for o in facts.outcomes)
    head = f"【教师培训数据】{run_at:%Y-%m-%d %H:%M} 夜间运行"
    counts = [f"{len(errors)} 项错误" + ("，已阻止发布" if blocked else "")] if errors else []
    counts += [f"{len(warnings)} 项警告"] if warnings else []
    subject = f"{head}：" + ("；".join(counts) or ("检查全部通过" if facts.outcomes else "未执行数据检查"))
    body = [head, _conclusion(errors, warnings, continuing, blocked, bool(facts.outcomes)), _loads(facts.loads)]
    if facts.kept_version:
        body.append(f"发布：自 {facts.kept_version} 发布以来，数据、代码与配置均未变化，本次未重建仓库、未重新发布，"
                    "分析库仍为该版本；本次重新检查了导入数据（含数据时效），其余检查沿用该版本发布时的结果。")
    body += [f"进度：{phase.line}" for phase in facts.phases]
    for label, group in (("错误", errors), ("警告", warnings)):
        if group:
            body.append(f"{label}：")
            body += _listing(group, continuing, max_per_title)
    footer = [f"数据文档：{data_docs}" if data_docs else "数据文档：本次未生成", f"运行编号：{run_id}"]
    return Digest(subject, body, footer)


def _conclusion(errors: list[Alert], warnings: list[Alert], continuing: set[str], blocked: bool,
                checks_ran: bool) -> str:
    if not errors and not warnings:
        return "结论：检查全部通过。" if checks_ran else "结论：本次运行未执行数据检查。"
    parts = []
    if errors:
        parts.append(f"{len(errors)} 项错误" + ("，已阻止发布（分析库保持上一版本）" if blocked else ""))
    if warnings:
        ongoing = sum(a.fingerprint in continuing for a in warnings)
        parts.append(f"{len(warnings)} 项警告" + (f"（其中 {ongoing} 项持续）" if ongoing else ""))
    return "结论：" + "；".join(parts) + "。"


def _loads(loads: list[SourceLoad]) -> str:
    if not loads:
        return "导入：没有新的导出文件。"
    parts = [
        f"{s.source} {s.export_dates} {s.files} 个文件 {s.rows} 行"
        + (f"（隔离 {s.quarantined} 行）" if s.quarantined else "")
        for s in loads
    ]
    return "导入：" + "；".join(parts) + "。"


def _listing(alerts: list[Alert], continuing: set[str], max_per_title: int) -> list[str]:
    """Alerts grouped by title; new before continuing; at most `max_per_title` lines per title."""
    lines = []
    titles = list(dict.fromkeys(a.title for a in alerts))
    for title in titles:
        group = sorted((a for a in alerts if a.title == title), key=lambda a: a.fingerprint in continuing)
        lines.append(f"● {title}（{len(group)}）")
        for alert in group[:max_per_title]:
            lines.append(f"  - [{'持续' if alert.fingerprint in continuing else '新'}] {alert.message}")
        if len(group) > max_per_title:
            lines.append(f"  - ……另有 {len(group) - max_per_title} 项，见数据文档")
    return lines
