"""Runtime settings: every PEIXUN_* variable, read by one pydantic-settings object.

`load()` reads the environment and an env file: PEIXUN_ENV_FILE, else `.env` in the current
directory (`.env.example` is the template); the environment wins over the file. Every
variable has a default that runs the demo except PEIXUN_PII_SALT, which the nightly run
refuses to go without (`Settings.salt`). Secrets are `SecretStr`: printed, logged or shown
in a traceback they read '**********'. Nothing here is evaluated at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]
ENV_PREFIX = "PEIXUN_"
ENV_FILE_VARIABLE = "PEIXUN_ENV_FILE"
MIN_SALT_LENGTH = 32
SALT_HINT = (
    "set a secret of at least 32 characters in the environment or in .env, e.g. "
    "PEIXUN_PII_SALT=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))'), and keep it: "
    "every pseudonym depends on it"
)


class SettingsError(ValueError):
    """A variable is missing or malformed; the message is one line naming it."""


class Settings(BaseSettings):
    """The PEIXUN_* variables (field `raw_dir` is PEIXUN_RAW_DIR, and so on)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_file=".env", env_file_encoding="utf-8", env_ignore_empty=True, extra="forbid",
        validate_default=True,
    )

    raw_dir: Path = Field(REPO_ROOT / "data" / "raw",
                          description="exports arrive as <raw>/<source>/<export_date>/<file> (default: the sample)")
    home: Path = Field(Path(".peixun"), description="where warehouse.duckdb and everything the job writes go")
    pii_salt: SecretStr | None = Field(
        None, description="secret key (at least 32 characters) of the HMAC-SHA-256 of national ID, name and phone")
    analysts_group: str = Field("", description="group that may read analytics.duckdb (empty: the owner only)")
    keep_versions: int = Field(5, ge=1, description="published versions of analytics.duckdb kept for rollback")
    duckdb_memory_limit: str = Field("4GB", description="DuckDB's memory limit for ingest and dbt build")
    schedule_cron: str = Field("0 2 * * *", description="when the nightly job runs, Beijing time")
    smtp_host: str = Field("", description="SMTP server of the nightly digest (empty: no e-mail)")
    smtp_port: int | None = Field(None, description="SMTP port (default 25, 587 with starttls, 465 with ssl)")
    smtp_tls: str = Field("", description="starttls, ssl or empty (plain)")
    smtp_user: str = Field("", description="SMTP login")
    smtp_password: SecretStr = Field(SecretStr(""), description="SMTP password (secret)")
    alert_email_from: str = Field("", description="sender of the digest")
    alert_email_to: str = Field("", description="comma-separated recipients of the digest")
    webhook_urls: SecretStr = Field(
        SecretStr(""), description="comma-separated group-robot webhooks, each optionally prefixed wecom:, "
        "dingtalk: or feishu: (secret: robot tokens live in them)")
    webhook_format: str = Field("", description="the format of robots whose prefix or host does not tell it")
    webhook_secrets: SecretStr = Field(
        SecretStr(""), description="comma-separated signing secrets of the robots (加签 / 签名校验), "
        "in the order of PEIXUN_WEBHOOK_URLS, empty for an unsigned robot (secret)")

    @field_validator("raw_dir", "home")
    @classmethod
    def _absolute(cls, path: Path) -> Path:
        """Relative folders are taken from the current directory (Great Expectations' Data Docs need it absolute)."""
        return path.absolute()

    def salt(self) -> str:
        """PEIXUN_PII_SALT; SettingsError when it is unset or shorter than MIN_SALT_LENGTH characters."""
        value = self.pii_salt.get_secret_value() if self.pii_salt else ""
        if not value:
            raise SettingsError(f"PEIXUN_PII_SALT is not set: {SALT_HINT}")
        if len(value) < MIN_SALT_LENGTH:
            raise SettingsError(f"PEIXUN_PII_SALT has {len(value)} characters, fewer than {MIN_SALT_LENGTH}: "
                                f"{SALT_HINT}")
        return value

    @property
    def is_demo_salt(self) -> bool:
        return bool(self.pii_salt) and self.pii_salt.get_secret_value().startswith("DEMO-")

    def export_for_dbt(self) -> None:
        """dbt's profile reads PEIXUN_DUCKDB_MEMORY_LIMIT with env_var(): give the dbt child the setting."""
        os.environ["PEIXUN_DUCKDB_MEMORY_LIMIT"] = self.duckdb_memory_limit


def variable(field: str) -> str:
    name = field.upper()
    return name if name.startswith(ENV_PREFIX) else ENV_PREFIX + name


def variables() -> dict[str, str]:
    """Every variable and what it means (`peixun --help`, README's table)."""
    documented = {variable(name): info.description or "" for name, info in Settings.model_fields.items()}
    return {**documented, ENV_FILE_VARIABLE: "the env file to read (default: .env in the current directory)"}


def secret_variables() -> list[str]:
    """The variables holding secrets (`SecretStr` fields)."""
    return [variable(name) for name, info in Settings.model_fields.items()
            if SecretStr in (info.annotation, *getattr(info.annotation, "__args__", ()))]


def _one_line(error: ValidationError) -> str:
    first = error.errors()[0]
    name = variable(str(first["loc"][0])) if first["loc"] else "settings"
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{name}: {first['msg']}{more}"


def load(env_file: str | Path | None = None) -> Settings:
    """The settings now: the environment over the env file (PEIXUN_ENV_FILE, else ./.env) over the defaults."""
    chosen = env_file or os.environ.get(ENV_FILE_VARIABLE) or ".env"
    if (env_file or os.environ.get(ENV_FILE_VARIABLE)) and not Path(chosen).exists():
        raise SettingsError(f"{ENV_FILE_VARIABLE}={chosen}: no such file")
    try:
        return Settings(_env_file=chosen)
    except ValidationError as exc:
        raise SettingsError(_one_line(exc)) from None


class _GivenSettings(Settings):
    """Settings from the values given alone: neither the environment nor an env file."""

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        return (init_settings,)


def from_env(env: Mapping[str, str]) -> Settings:
    """Settings from a mapping of PEIXUN_* names alone (not the environment, no env file): tests and tools."""
    fields = {name.removeprefix(ENV_PREFIX).lower(): value for name, value in env.items()
              if name.startswith(ENV_PREFIX) and value != ""}
    try:
        return _GivenSettings(**fields)
    except ValidationError as exc:
        raise SettingsError(_one_line(exc)) from None


def config_dir() -> Path:
    """Folder holding entities.yml, sources.yml and dialects/ (part of the code, reviewed like it)."""
    return REPO_ROOT / "config"


def raw_dir(override: str | Path | None = None) -> Path:
    """Where the platforms' exports arrive: data/raw/<source>/<export_date>/."""
    return Path(override).absolute() if override else load().raw_dir


def home_dir(override: str | Path | None = None) -> Path:
    """Where the warehouse, published databases and reports are written (absolute: Data Docs need it)."""
    return Path(override).absolute() if override else load().home


def pii_salt() -> str:
    """The key of the pseudonyms of national IDs, names and phones (SettingsError without a good one)."""
    return load().salt()


def duckdb_memory_limit() -> str:
    """DuckDB's memory limit for the warehouse (ingest and dbt); beyond it DuckDB spills to <warehouse>.tmp."""
    return load().duckdb_memory_limit
