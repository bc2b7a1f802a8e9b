"""The ingestion configuration: canonical entities, dialects and sources (config/)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from dagster_project import settings

TYPES = {"text", "integer", "number", "boolean", "percent", "date", "datetime"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    key: bool = False
    pii: bool = False
    optional: bool = False

    @property
    def stored_name(self) -> str:
        return f"{self.name}_hash" if self.pii else self.name


@dataclass(frozen=True)
class Entity:
    name: str
    file: str
    columns: tuple[Column, ...]

    @property
    def key(self) -> list[Column]:
        return [c for c in self.columns if c.key]


@dataclass(frozen=True)
class Dialect:
    name: str
    encoding: str
    true_values: tuple[str, ...]
    false_values: tuple[str, ...]
    date_examples: tuple[str, ...]
    percent: str
    headers: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def aliases(self, entity: str, column: str) -> tuple[str, ...]:
        return self.headers.get(entity, {}).get(column, ())


@dataclass(frozen=True)
class Config:
    entities: dict[str, Entity]
    dialects: dict[str, Dialect]
    sources: dict[str, str]

    def entity_for_file(self, stem: str) -> Entity | None:
        return next((e for e in self.entities.values() if e.file == stem), None)


def _read_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def _entity(name: str, spec: dict) -> Entity:
    columns = []
    for col, attrs in spec["columns"].items():
        if attrs["type"] not in TYPES:
            raise ValueError(f"entities.yml: {name}.{col} has unknown type {attrs['type']!r}")
        columns.append(Column(col, **attrs))
    return Entity(name, spec["file"], tuple(columns))


def _dialect(spec: dict) -> Dialect:
    headers = {
        entity: {col: tuple([h] if isinstance(h, str) else h) for col, h in cols.items()}
        for entity, cols in spec["headers"].items()
    }
    return Dialect(
        name=spec["name"],
        encoding=spec["encoding"],
        true_values=tuple(spec["booleans"][True]),
        false_values=tuple(spec["booleans"][False]),
        date_examples=tuple(spec["date_examples"]),
        percent=spec["percent"],
        headers=headers,
    )


@cache
def load_config(root: Path | None = None) -> Config:
    root = root or settings.config_dir()
    entities = {name: _entity(name, spec) for name, spec in _read_yaml(root / "entities.yml").items()}
    dialects = {}
    for path in sorted((root / "dialects").glob("*.yml")):
        dialect = _dialect(_read_yaml(path))
        dialects[dialect.name] = dialect
    return Config(
        entities=entities,
        dialects=dialects,
        sources=_read_yaml(root / "sources.yml"),
    )
