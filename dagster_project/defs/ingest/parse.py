"""Turn a file's raw text cells into typed canonical columns, in one DuckDB query.

For every cell the query computes the typed value and, where the text is not
empty but does not parse, an error naming the header and what was expected.
Rows with any error, an empty required or key value, a text longer than its
column's limit, or a key repeated in the file carry a non-empty `_errors` list
and go to quarantine; the rest load.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from dagster_project.defs.ingest.contract import Column, Config, Dialect, Entity
from dagster_project.defs.ingest.readers import ExportReadError
from dagster_project.lib.pseudonym import hmac_sql

SHOWN_CHARS = 200  # of a value in a quarantine reason
RAW_CHARS = 1000  # of a cell in quarantine's raw values


def normalise_header(cell: str) -> str:
    return unicodedata.normalize("NFKC", cell).strip()


@dataclass(frozen=True)
class MappedColumn:
    column: Column
    index: int | None  # position in the file's header, None when an optional column is absent
    header: str


def map_columns(header: list[str], entity: Entity, dialect: Dialect, file_label: str) -> list[MappedColumn]:
    """Match the file's header cells to the entity's canonical columns through the dialect's aliases."""
    positions = {normalise_header(cell): i for i, cell in enumerate(header)}
    mapped, missing = [], []
    for column in entity.columns:
        aliases = dialect.aliases(entity.name, column.name)
        index = next((positions[a] for a in aliases if a in positions), None)
        if index is None and not column.optional:
            tried = ", ".join(aliases) or "no alias configured"
            missing.append(f"{column.name} (tried {tried})")
        label = header[index] if index is not None else (aliases or (column.name,))[0]
        mapped.append(MappedColumn(column, index, label))
    if missing:
        raise ExportReadError(
            f"{file_label}: line 1: missing required column(s) for {entity.file} in dialect {dialect.name}: "
            + "; ".join(missing)
        )
    return mapped


def header_score(header: list[str], entity: Entity, dialect: Dialect) -> int:
    """How many of the entity's columns this header names in this dialect."""
    cells = {normalise_header(c) for c in header}
    return sum(any(a in cells for a in dialect.aliases(entity.name, c.name)) for c in entity.columns)


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join(map(_sql_str, values))


def shown(value: str, limit: int = SHOWN_CHARS) -> str:
    """SQL text of a cell as quarantine shows it: the start of a very long value, marked as cut."""
    return f"case when length({value}) > {limit} then left({value}, {limit}) || '…' else {value} end"


def yes_no_expected(config: Config) -> str:
    pairs = [f"{t}/{f}" for t, f in zip(config.true_values[:2], config.false_values[:2], strict=False)]
    return f"a yes/no value such as {' or '.join(pairs)} (config/vocabulary.yml)"


def _typed(m: MappedColumn, dialect: Dialect, config: Config) -> tuple[str, str | None]:
    """(typed SQL expression, expectation text) for one column; `v` is the cleaned cell. Personal data
    becomes its keyed pseudonym (lib/pseudonym.py: the connection carries the key)."""
    v = f'"{m.column.name}"'
    kind = m.column.type
    if m.column.pii:
        return hmac_sql(v), None
    if kind == "text":
        return v, None
    if kind == "integer":
        return f"try_cast({v} as bigint)", "an integer"
    if kind == "number":
        return f"try_cast({v} as double)", "a number"
    if kind == "boolean":
        return (
            f"case when lower({v}) in ({_sql_list(config.true_values)}) then true "
            f"when lower({v}) in ({_sql_list(config.false_values)}) then false end",
            yes_no_expected(config),
        )
    if kind == "percent":
        number = f"try_cast(rtrim({v}, '%') as double)"
        return f"case when {number} between 0 and 100 then {number} end", "a percent from 0 to 100"
    # Separators normalised to ISO (2022/4/20, 2022年4月20日 -> 2022-4-20), then DuckDB's own ISO parser,
    # which takes the date alone or with a time, and rejects impossible dates (2022-13-45, 2022-02-30).
    iso = f"replace(replace(replace(replace({v}, '/', '-'), '年', '-'), '月', '-'), '日', '')"
    cast = "date" if kind == "date" else "timestamp"
    return f"cast(try_cast({iso} as timestamp) as {cast})", "a date such as " + " or ".join(dialect.date_examples)


def _cleaned(mapped: list[MappedColumn]) -> list[str]:
    """Each canonical column as the trimmed cell, NULL when empty (or when the column is absent)."""
    return [
        (f"nullif(trim(c{m.index}), '')" if m.index is not None else "cast(null as varchar)") + f' as "{m.column.name}"'
        for m in mapped
    ]


def _non_blank(mapped: list[MappedColumn]) -> str:
    return " or ".join(f'"{m.column.name}" is not null' for m in mapped)


def duplicates_query(relation: str, mapped: list[MappedColumn], entity: Entity) -> str:
    """SQL over `relation` returning each key repeated in the file with the first line it is on (`_dup_first`).

    Duplicates are rare: one aggregation finds them, and the typed query flags the later lines by a join.
    """
    key = ", ".join(f'"{c.name}"' for c in entity.key)
    present = " and ".join(f'"{c.name}" is not null' for c in entity.key)
    return f"""
select {key}, min(_line) as _dup_first
from (select _line, {", ".join(_cleaned(mapped))} from {relation})
where {present}
group by {key}
having count(*) > 1
"""


def _error(column: str, rule: str, reason: str | None = None) -> str:
    """SQL of one error struct: the column's label, the rule it broke (no cell value: what the digest counts
    by) and the reason as quarantine shows it (the rule with what was found)."""
    return f"{{'column': {column}, 'rule': {rule}, 'reason': {reason or rule}}}"


def typed_query(relation: str, duplicates: str, mapped: list[MappedColumn], entity: Entity, dialect: Dialect,
                config: Config) -> str:
    """SQL over `relation` (c0..cN text, _line) returning typed columns, `_errors` and `_raw`.

    `duplicates` is the relation duplicates_query wrote. Each step is a subquery read once, so
    DuckDB streams the rows through all of them: cells cleaned, then typed, then checked. Nearly
    every row passes: each rule is a cheap test on the typed row, and the error list and the raw
    copy are built only where one fails (`_errors` and `_raw` are NULL on rows that load).
    A row fails on a cell that does not parse, a required (or key) value missing, a text longer
    than its column's limit, or a key repeated in the file.
    """
    typed, rules, raw = [], [], []  # rules: (failing condition, error struct)
    for m in mapped:
        expr, expected = _typed(m, dialect, config)
        name, value, cell = m.column.name, f'"typed__{m.column.stored_name}"', f'"{m.column.name}"'
        typed.append(f"{expr} as {value}")
        label = _sql_str(f"{m.header} ({name})")
        if expected:
            rule = _sql_str("expected " + expected)
            rules.append((f"{cell} is not null and {value} is null",
                          _error(label, rule, f"{rule} || ', found ' || {shown(cell)}")))
        if m.column.max_chars:
            limit = m.column.max_chars
            rules.append((f"length({cell}) > {limit}", _error(
                label, _sql_str(f"text longer than the limit of {limit}"),
                f"'text of ' || length({cell}) || ' characters, longer than the limit of {limit}'")))
        if m.column.required:
            reason = "missing key value" if m.column.key else "missing required value"
            rules.append((f"{cell} is null", _error(label, _sql_str(reason))))
        if m.index is not None:
            # keyed: a prefix of the pseudonym is safe to show
            raw_value = f"'hmac:' || left({value}, 16)" if m.column.pii else shown(f"c{m.index}", RAW_CHARS)
            raw.append(f"{_sql_str(m.header)}, {raw_value}")
    key = ", ".join(f'"{c.name}"' for c in entity.key)
    rules.append((
        "coalesce(_dup_first < _line, false)",
        _error(_sql_str(", ".join(c.name for c in entity.key)), "'duplicate key'",
               "'duplicate key, first seen at line ' || _dup_first"),
    ))
    failed = " or ".join(f"({condition})" for condition, _ in rules)
    errors = ", ".join(f"case when {condition} then {error} end" for condition, error in rules)
    return f"""
select
    _line,
    {", ".join(f'"typed__{m.column.stored_name}" as "{m.column.stored_name}"' for m in mapped)},
    case when _failed then list_filter([{errors}], lambda e: e is not null) end as _errors,
    case when _failed then json_object({", ".join(raw)}) end as _raw
from (
    select *, {failed} as _failed
    from (
        select *, {", ".join(typed)}
        from (select *, {", ".join(_cleaned(mapped))} from {relation}) as cleaned
        where {_non_blank(mapped)}
    ) as typed
    left join {duplicates} as duplicates using ({key})
) as checked
"""
