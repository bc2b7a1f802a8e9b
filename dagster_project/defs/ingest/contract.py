"""The ingestion configuration (config/): canonical entities, dialects, sources, the yes/no vocabulary
and the limits of ingest.

Every file is validated when it is read (pydantic models below, then the checks across files);
an error names the file, the key path and the problem, e.g.
`config/entities.yml: teachers.columns.district.type: unknown type 'txt' (expected one of ...)`.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from dagster_project import settings

TYPES = ("text", "integer", "number", "boolean", "percent", "date", "datetime")
PERCENT_FORMS = ("integer", "string")


class ConfigError(ValueError):
    """config/ is not valid; the message names the file, the key path and the problem (one line each)."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    key: bool = False
    required: bool = False  # an empty value quarantines the row (every key column is required)
    pii: bool = False
    optional: bool = False
    max_chars: int | None = None  # text only: a longer value quarantines the row

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
    date_examples: tuple[str, ...]
    percent: str
    headers: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def aliases(self, entity: str, column: str) -> tuple[str, ...]:
        """The headers that name the column: the dialect's, then its canonical name (EXPORTS.md gives only
        canonical columns for some entities, e.g. 辅导教师: tutor_id, district, course_id, class_id)."""
        configured = self.headers.get(entity, {}).get(column, ())
        return configured if column in configured else (*configured, column)


@dataclass(frozen=True)
class RejectRule:
    """When a file is a format change rather than a few bad rows (config/ingest.yml, reject_file)."""

    quarantined_share_max: float
    small_file_rows: int
    small_file_quarantined_share_max: float

    def limit_for(self, raw_rows: int) -> float:
        """The largest share of failing rows a file of `raw_rows` data rows may have and still load."""
        return self.small_file_quarantined_share_max if raw_rows < self.small_file_rows else self.quarantined_share_max

    def rejects(self, raw_rows: int, failed_rows: int) -> bool:
        return raw_rows > 0 and failed_rows / raw_rows > self.limit_for(raw_rows)


@dataclass(frozen=True)
class Config:
    entities: dict[str, Entity]
    dialects: dict[str, Dialect]
    sources: dict[str, str]
    true_values: tuple[str, ...]  # config/vocabulary.yml, in every dialect; compared in lower case after NFKC
    false_values: tuple[str, ...]
    text_max_chars: int
    reject: RejectRule

    def entity_for_file(self, stem: str) -> Entity | None:
        return next((e for e in self.entities.values() if e.file == stem), None)


# ---- what each file may say (pydantic) -------------------------------------------------------


class UnknownKey(ValueError):
    """A key the file's schema does not have; reported at the key's own path."""

    def __init__(self, key: str, allowed: list[str]):
        super().__init__(f"unknown key (expected one of {', '.join(allowed)})")
        self.key = key


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = [k for k in data if k not in cls.model_fields]
            if unknown:
                raise UnknownKey(str(unknown[0]), list(cls.model_fields))
        return data


class ColumnSpec(_Spec):
    type: str
    key: StrictBool = False
    required: StrictBool = False
    pii: StrictBool = False
    optional: StrictBool = False
    max_chars: int | None = Field(default=None, gt=0)

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in TYPES:
            raise ValueError(f"unknown type {value!r} (expected one of {', '.join(TYPES)})")
        return value

    @field_validator("optional")
    @classmethod
    def _key_is_present(cls, value: bool, info) -> bool:
        if value and (info.data.get("key") or info.data.get("required")):
            raise ValueError("a key or required column cannot be optional")
        return value

    @field_validator("max_chars")
    @classmethod
    def _text_only(cls, value: int | None, info) -> int | None:
        if value is not None and info.data.get("type") != "text":
            raise ValueError("only a text column has a length limit")
        return value


class EntitySpec(_Spec):
    file: StrictStr
    columns: dict[str, ColumnSpec] = Field(min_length=1)


class DialectSpec(_Spec):
    name: StrictStr
    encoding: StrictStr
    date_examples: list[StrictStr] = Field(min_length=1)
    percent: str
    headers: dict[str, dict[str, StrictStr | list[StrictStr]]]

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(f"unknown encoding {value!r}") from None
        return value

    @field_validator("percent")
    @classmethod
    def _percent_form(cls, value: str) -> str:
        if value not in PERCENT_FORMS:
            raise ValueError(f"unknown percent form {value!r} (expected one of {', '.join(PERCENT_FORMS)})")
        return value


class VocabularySpec(_Spec):
    booleans: dict[bool, list[StrictStr]]

    @field_validator("booleans")
    @classmethod
    def _both_and_distinct(cls, value: dict[bool, list[str]]) -> dict[bool, list[str]]:
        if set(value) != {True, False}:
            raise ValueError("give the values meaning yes under `true:` and those meaning no under `false:`")
        yes = {fold(v): v for v in value[True]}
        both = [yes[fold(v)] for v in value[False] if fold(v) in yes]
        if both:
            raise ValueError(f"{both[0]} means both yes and no (values compare case-insensitively)")
        if any(not fold(v) for v in value[True] + value[False]):
            raise ValueError("an empty value means no value (NULL), not yes or no")
        return value


class RejectSpec(_Spec):
    quarantined_share_max: float = Field(ge=0, le=1)
    small_file_rows: int = Field(ge=0)
    small_file_quarantined_share_max: float = Field(ge=0, le=1)


class IngestSpec(_Spec):
    text_max_chars: int = Field(gt=0)
    reject_file: RejectSpec


def fold(value: str) -> str:
    """How cell values are compared with the vocabulary: NFKC (as the readers fold cells), trimmed, lower case."""
    return unicodedata.normalize("NFKC", value).strip().lower()


# ---- reading and checking ---------------------------------------------------------------------


def _shown(path: Path) -> str:
    return str(path.relative_to(settings.REPO_ROOT)) if path.is_relative_to(settings.REPO_ROOT) else str(path)


def _problem(path: Path, where: str, what: str) -> ConfigError:
    return ConfigError(f"{_shown(path)}: {where}: {what}" if where else f"{_shown(path)}: {what}")


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError:
        raise _problem(path, "", "missing") from None
    except yaml.YAMLError as exc:
        raise _problem(path, "", f"not valid YAML ({' '.join(str(exc).split())})") from None


def _validated(path: Path, spec, data: Any):
    """`data` as `spec` (a model or a type); every problem named by the file and key path."""
    try:
        return TypeAdapter(spec).validate_python({} if data is None else data)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            where = [str(part) for part in error["loc"]]
            cause = (error.get("ctx") or {}).get("error")
            if isinstance(cause, UnknownKey):
                where.append(cause.key)
                message = str(cause)
            else:
                message = str(cause) if isinstance(cause, ValueError) else error["msg"]
            lines.append(f"{_shown(path)}: {'.'.join(where)}: {message}" if where else f"{_shown(path)}: {message}")
        raise ConfigError("\n".join(dict.fromkeys(lines))) from None


def _entities(path: Path) -> dict[str, Entity]:
    specs: dict[str, EntitySpec] = _validated(path, dict[str, EntitySpec], _read_yaml(path))
    files: dict[str, str] = {}
    for name, spec in specs.items():
        if spec.file in files:
            raise _problem(path, f"{name}.file", f"file name {spec.file} already used by entity {files[spec.file]}")
        files[spec.file] = name
    return {
        name: Entity(name, spec.file, tuple(
            Column(col, c.type, key=c.key, required=c.required or c.key, pii=c.pii, optional=c.optional,
                   max_chars=c.max_chars)
            for col, c in spec.columns.items()
        ))
        for name, spec in specs.items()
    }


def _dialect(path: Path, entities: dict[str, Entity]) -> Dialect:
    spec: DialectSpec = _validated(path, DialectSpec, _read_yaml(path))
    headers: dict[str, dict[str, tuple[str, ...]]] = {}
    for entity_name, columns in spec.headers.items():
        entity = entities.get(entity_name)
        if entity is None:
            raise _problem(path, f"headers.{entity_name}", f"no entity {entity_name} (config/entities.yml)")
        known = {c.name for c in entity.columns}
        named: dict[str, str] = {}
        for column, aliases in columns.items():
            if column not in known:
                raise _problem(path, f"headers.{entity_name}.{column}",
                               f"no column {column} in entity {entity_name} (config/entities.yml)")
            aliases = (aliases,) if isinstance(aliases, str) else tuple(aliases)
            for alias in aliases:
                folded = unicodedata.normalize("NFKC", alias).strip()
                if folded in named:
                    raise _problem(path, f"headers.{entity_name}.{column}",
                                   f"header {alias} already names column {named[folded]}")
                named[folded] = column
            headers.setdefault(entity_name, {})[column] = aliases
        for column in entity.columns:
            if not column.optional and column.name not in columns:
                raise _problem(path, f"headers.{entity_name}", f"no header for column {column.name}")
    return Dialect(spec.name, spec.encoding, tuple(spec.date_examples), spec.percent, headers)


def read_config(root: Path) -> Config:
    """Read and validate every file of the configuration folder `root`."""
    entities = _entities(root / "entities.yml")
    dialects: dict[str, Dialect] = {}
    for path in sorted((root / "dialects").glob("*.yml")):
        dialect = _dialect(path, entities)
        if dialect.name in dialects:
            raise _problem(path, "name", f"dialect {dialect.name} is already defined by another file")
        dialects[dialect.name] = dialect
    if not dialects:
        raise _problem(root / "dialects", "", "no dialect file (*.yml)")
    sources_path = root / "sources.yml"
    sources: dict[str, str] = _validated(sources_path, dict[str, StrictStr], _read_yaml(sources_path))
    for source, dialect_name in sources.items():
        if dialect_name not in dialects:
            raise _problem(sources_path, source,
                           f"unknown dialect {dialect_name!r} (expected one of {', '.join(sorted(dialects))})")
    vocabulary: VocabularySpec = _validated(root / "vocabulary.yml", VocabularySpec,
                                            _read_yaml(root / "vocabulary.yml"))
    limits: IngestSpec = _validated(root / "ingest.yml", IngestSpec, _read_yaml(root / "ingest.yml"))
    entities = {
        name: Entity(name, e.file, tuple(
            Column(c.name, c.type, c.key, c.required, c.pii, c.optional,
                   (c.max_chars or limits.text_max_chars) if c.type == "text" else None)
            for c in e.columns
        ))
        for name, e in entities.items()
    }
    return Config(
        entities=entities,
        dialects=dialects,
        sources=sources,
        true_values=tuple(dict.fromkeys(fold(v) for v in vocabulary.booleans[True])),
        false_values=tuple(dict.fromkeys(fold(v) for v in vocabulary.booleans[False])),
        text_max_chars=limits.text_max_chars,
        reject=RejectRule(**limits.reject_file.model_dump()),
    )


def load_config(root: Path | None = None) -> Config:
    """The configuration in `root`, by default config/ of this checkout (read once)."""
    return _shipped_config() if root is None else read_config(root)


@cache
def _shipped_config() -> Config:
    return read_config(settings.config_dir())
