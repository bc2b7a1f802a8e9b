"""The suites in expectations/: one JSON file per validated table, named after it.

Each expectation's meta names its check (`check`), the frame columns that identify what it
speaks about (`subject`) and the Chinese line of the digest (`message`, a str.format
template over the frame's columns). The suite's meta.checks gives each check its title.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from dagster_project.defs.quality.policy import QualityConfig, Severity
from dagster_project.settings import REPO_ROOT

SUITES_DIR = REPO_ROOT / "expectations"


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    suite: str
    severity: Severity


@cache
def suite_json(name: str) -> dict[str, Any]:
    return json.loads((SUITES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def suite_names() -> list[str]:
    return sorted(path.stem for path in SUITES_DIR.glob("*.json"))


def checks_of(suite: str, config: QualityConfig) -> list[Check]:
    """The checks of one suite, in file order; every one must have a severity in config/quality.yml."""
    spec = suite_json(suite)
    titles: dict[str, str] = spec["meta"]["checks"]
    used = {e["meta"]["check"] for e in spec["expectations"]}
    if used != set(titles):
        raise ValueError(f"expectations/{suite}.json: meta.checks {sorted(titles)} != checks used {sorted(used)}")
    missing = [name for name in titles if name not in config.severity]
    if missing:
        raise ValueError(f"config/quality.yml has no severity for check(s) {', '.join(missing)} of {suite}")
    return [Check(name, title, suite, config.severity[name]) for name, title in titles.items()]


def parameters_used(suite: str) -> set[str]:
    """Names of the expectation parameters ({"$PARAMETER": name}) a suite refers to."""
    return {
        value["$PARAMETER"]
        for expectation in suite_json(suite)["expectations"]
        for value in expectation["kwargs"].values()
        if isinstance(value, dict) and "$PARAMETER" in value
    }
