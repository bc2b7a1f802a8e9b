"""The nightly run's bulletins: the city edition of every active program period, drafted after a
successful publish (DOCX, which the digest e-mail attaches, and the HTML page; `peixun bulletin`
adds the PDF on demand). A period is active when its latest export date is its program's latest;
the programme-wide period ALL has no bulletin of its own. A bulletin that fails its checks or
cannot be drafted is a line of the digest, never a failed night.

The editions are independent (each its own folder) and each costs a couple of seconds of Python
(content, charts, DOCX): they are drafted in parallel, one process per core.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

import duckdb

from dagster_project.defs.publish.bulletin.config import BulletinConfig, load_bulletin_config
from dagster_project.defs.publish.bulletin.release import BulletinRejected, draft
from dagster_project.defs.publish.tables import published_database

NIGHTLY_FORMATS = ("docx", "html")


@dataclass(frozen=True)
class Drafted:
    program: str  # name_zh
    period: str
    files: list[Path] = field(default_factory=list)
    reason: str = ""  # why it was not released

    @property
    def docx(self) -> Path | None:
        return next((f for f in self.files if f.suffix == ".docx"), None)

    @property
    def line(self) -> str:
        """The digest's line (Chinese): where the draft is, or why there is none."""
        if self.reason:
            return f"学情通报：{self.program} {self.period}期未发布：{self.reason}"
        return f"学情通报：{self.program} {self.period}期已起草，见 {self.files[0].parent}"


def active_periods(database: Path, codes: set[str]) -> list[tuple[str, str, str]]:
    """(code, name, period) of each configured program's periods whose latest export is the program's latest."""
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "with periods as (select program, _period as period, max(_export_date) as latest "
            "from reports.report_program_headlines where _period <> 'ALL' group by all) "
            "select p.program_code, periods.program, periods.period from periods "
            "join reference.programs as p on p.program = periods.program "
            "where periods.latest = (select max(latest) from periods as o where o.program = periods.program) "
            "order by 1, 3").fetchall()
    return [(code, name, period) for code, name, period in rows if code in codes]


def draft_city_editions(home: Path) -> list[Drafted]:
    config = load_bulletin_config()
    periods = active_periods(published_database(home), set(config.programs))
    if len(periods) < 2:
        return [_draft_edition(home, config, period) for period in periods]
    # spawned, not forked: the parent is a Dagster process with threads of its own
    with ProcessPoolExecutor(min(len(periods), os.cpu_count() or 1),
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_draft_edition, repeat(home), repeat(config), periods))


def _draft_edition(home: Path, config: BulletinConfig, period: tuple[str, str, str]) -> Drafted:
    code, name, period_code = period
    try:
        done = draft(home, code, period_code, formats=NIGHTLY_FORMATS, config=config)
    except BulletinRejected as exc:
        return Drafted(name, period_code, reason="；".join(exc.problems))
    except Exception as exc:  # one program's bulletin never stops the others, nor the night
        return Drafted(name, period_code, reason=f"{type(exc).__name__}: {exc}")
    return Drafted(name, period_code, done.files)
