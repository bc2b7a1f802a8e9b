"""The exports a benchmark reads: generated once per scale and cached in benchmarks/.cache/<scale>.

The cache folder is itself a raw export folder (<source>/<export_date>/<file>), the one the
city-scale reconciliation test reads too. It is complete when its `.generated.json` (the
generator's summary, with the seed and a fingerprint of the generator's code) exists and
matches; that file is written last, so an interrupted or outdated generation is redone.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from benchmarks.contract import REPO_ROOT, entities, latest_files

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
SUMMARY_FILE = ".generated.json"
GENERATOR = REPO_ROOT / "generator" / "peixun_generator"
DEFAULT_SEED = 2201
ENROLLMENT_FILE = entities()["enrollments"].file


@dataclass(frozen=True)
class Exports:
    """A raw export folder (<raw>/<source>/<export_date>/<file>) and what the generator said about it."""

    scale: str
    raw: Path
    summary: dict

    @property
    def enrollments(self) -> int:
        """Enrollment rows in the latest in-force files of every source: the scale's volume (3.2 M at city)."""
        rows = self.summary["rows_per_file"]
        return sum(
            rows[f.path.relative_to(self.raw).as_posix()] for f in latest_files(self.raw) if f.entity == "enrollments"
        )

    @property
    def enrollment_rows(self) -> int:
        """Enrollment rows in every file, all export dates and superseded deliveries included."""
        return sum(n for path, n in self.summary["rows_per_file"].items() if ENROLLMENT_FILE in path)


def generator_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(GENERATOR.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached_exports(scale: str, seed: int = DEFAULT_SEED, cache: Path = CACHE_DIR) -> Exports:
    """The exports of `scale` (sample, city or province), generated when missing or outdated."""
    folder = cache / scale
    marker = folder / SUMMARY_FILE
    wanted = {"seed": seed, "generator": generator_fingerprint()}
    summary = json.loads(marker.read_text(encoding="utf-8")) if marker.exists() else {}
    if {k: summary.get(k) for k in wanted} != wanted:
        from peixun_generator import generate

        shutil.rmtree(folder, ignore_errors=True)
        summary = {**generate(scale, folder, seed=seed), **wanted}
        marker.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return Exports(scale, folder, summary)
