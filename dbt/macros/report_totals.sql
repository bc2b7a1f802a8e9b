{#
  report_totals(cte, relation, title_zh, groups=[]): for the data-quality model qa_report_totals, one row
  per period, export date, group and count column of a published table: the value on its 合计 / 总计 row
  (total) and the sum of its other rows (row_sum). `groups` are the table's first columns when it holds
  one total per group (one per program in report_program_districts: the group's values are
  report_group, and are named after the title; NULL for a table with one total); the row label is
  the next column after the `_` keys; the count columns are the integer columns after it, read from
  the relation as built. Where the relation is not built yet (dbt compile
  or sqlfluff on a fresh clone), the same columns, no rows.
#}
{% macro report_totals(cte, relation, title_zh, groups=[]) -%}
    {%- set labels = var('column_labels_zh') -%}
    {%- set columns = adapter.get_columns_in_relation(relation) if execute else [] -%}
    {%- set shown = [] -%}
    {%- for column in columns if not column.name.startswith('_') -%}
        {%- do shown.append(column) -%}
    {%- endfor -%}
    {%- set counts = [] -%}
    {%- for column in shown[groups | length + 1:] if column.dtype | upper in ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT') -%}
        {%- do counts.append(column.name) -%}
    {%- endfor -%}
    {%- if not counts %}
    select
        '{{ cte }}' as report,
        '{{ title_zh }}' as report_zh,
        cast(null as string) as report_group,
        _period as period,
        _export_date as export_date,
        cast(null as string) as measure,
        cast(null as string) as measure_zh,
        cast(null as string) as total_label,
        cast(null as bigint) as total,
        cast(null as bigint) as row_sum
    from {{ cte }}
    where false
    {%- endif %}
    {%- for column in counts %}
    {%- set label = shown[groups | length].name %}
    select
        '{{ cte }}' as report,
        '{{ title_zh }}'{% for group in groups %} || '（' || {{ group }} || '）'{% endfor %} as report_zh,
        {% if groups %}concat_ws(' ', {{ groups | join(', ') }}){% else %}cast(null as string){% endif %} as report_group,
        _period as period,
        _export_date as export_date,
        '{{ column }}' as measure,
        '{{ labels.get(column, column) }}' as measure_zh,
        max(case when {{ adapter.quote(label) }} in ('合计', '总计') then {{ adapter.quote(label) }} end) as total_label,
        max(case when {{ adapter.quote(label) }} in ('合计', '总计') then {{ adapter.quote(column) }} end) as total,
        cast(sum(case when {{ adapter.quote(label) }} not in ('合计', '总计') then {{ adapter.quote(column) }} end) as bigint) as row_sum
    from {{ cte }}
    group by _period, _export_date{% for group in groups %}, {{ group }}{% endfor %}
    having max(case when {{ adapter.quote(label) }} in ('合计', '总计') then 1 else 0 end) = 1
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
