"""The YAML files of config/ read into pydantic models, for the office's settings (quality, bulletin,
programs): a problem is one line that names the file, the key and what is wrong, e.g.
`config/quality.yml: thresholds.rate_max: Input should be a valid number (got 'x')`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from dagster_project.settings import REPO_ROOT

Model = TypeVar("Model", bound=BaseModel)
NO_INPUT_SHOWN = ("missing", "extra_forbidden", "dict_type")  # the key or the type says it all


def shown(path: Path) -> str:
    """A path as messages print it: relative to the repository when inside it."""
    return str(path.relative_to(REPO_ROOT)) if path.is_relative_to(REPO_ROOT) else str(path)


def load_model(path: Path, model: type[Model], error: type[ValueError]) -> Model:
    """The file validated as `model`; any problem raises `error`, one line per problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{shown(path)}: missing") from None
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date that does not exist (2022-09-31)
        raise error(f"{shown(path)}: not valid YAML ({' '.join(str(exc).split())})") from None
    try:
        return model.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        raise error("\n".join(_problem(path, e) for e in exc.errors())) from None


def _problem(path: Path, e: dict[str, Any]) -> str:
    key = ".".join(str(part) for part in e["loc"] if part != "[key]") or "(top level)"
    got = f" (got {e['input']!r})" if e["loc"] and e["type"] not in NO_INPUT_SHOWN else ""
    return f"{shown(path)}: {key}: {e['msg']}{got}"
