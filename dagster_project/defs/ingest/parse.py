"""Turn a file's raw text cells into typed canonical columns, in one DuckDB query.

For every cell the query computes the typed value and, where the text is not
empty but does not parse, an error naming the header and what was expected.
Rows with any error, an empty key, or a key repeated in the file carry a
non-empty `_errors` list and go to quarantine; the rest load.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from dagster_project.defs.ingest.contract import Column, Dialect, Entity
from dagster_project.defs.ingest.readers import ExportReadError
from dagster_project.lib.pseudonym import hmac_sql


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


def _typed(m: MappedColumn, dialect: Dialect) -> tuple[str, str | None]:
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
        t, f = dialect.true_values, dialect.false_values
        return (
            f"case when {v} in ({', '.join(map(_sql_str, t))}) then true "
            f"when {v} in ({', '.join(map(_sql_str, f))}) then false end",
            "one of " + "/".join(t + f),
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


def typed_query(relation: str, duplicates: str, mapped: list[MappedColumn], entity: Entity, dialect: Dialect) -> str:
    """SQL over `relation` (c0..cN text, _line) returning typed columns, `_errors` and `_raw`.

    `duplicates` is the relation duplicates_query wrote. Each step is a subquery read once, so
    DuckDB streams the rows through all of them: cells cleaned, then typed, then checked. Nearly
    every row passes: each rule is a cheap test on the typed row, and the error list and the raw
    copy are built only where one fails (`_errors` and `_raw` are NULL on rows that load).
    """
    typed, rules, raw = [], [], []  # rules: (failing condition, error struct)
    for m in mapped:
        expr, expected = _typed(m, dialect)
        name, value = m.column.name, f'"typed__{m.column.stored_name}"'
        typed.append(f"{expr} as {value}")
        label = _sql_str(f"{m.header} ({name})")
        if expected:
            rules.append((
                f'"{name}" is not null and {value} is null',
                f"{{'column': {label}, 'reason': {_sql_str('expected ' + expected + ', found ')} || \"{name}\"}}",
            ))
        if m.index is not None:
            raw_value = f"'hmac:' || left({value}, 16)" if m.column.pii else f"c{m.index}"  # keyed: a prefix is safe
            raw.append(f"{_sql_str(m.header)}, {raw_value}")
    key = ", ".join(f'"{c.name}"' for c in entity.key)
    for c in entity.key:
        rules.append((f'"{c.name}" is null', f"{{'column': {_sql_str(c.name)}, 'reason': 'missing key value'}}"))
    rules.append((
        "coalesce(_dup_first < _line, false)",
        f"{{'column': {_sql_str(', '.join(c.name for c in entity.key))}, "
        "'reason': 'duplicate key, first seen at line ' || _dup_first}",
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
