{#
  with_total_row(relation, keys, row_columns, counts, label_column, label, amounts=[]): the rows of a published
  table and its total row (合计 / 总计) from one grouping: `group by keys, rollup((row_columns))`,
  the grouping sets (keys, row_columns) and (keys).
  Each row of `relation` is one row of the table (unique on keys + row_columns), so its counts pass
  through; the total row of each key sums them, with `label` in label_column and NULL in the other
  row columns; is_total tells the two apart (reports sort the total last). Counts are cast to
  bigint (a sum is a hugeint in DuckDB); amounts (学时, 金额: not whole numbers) are summed as they are.
#}
{% macro with_total_row(relation, keys, row_columns, counts, label_column, label, amounts=[]) -%}
    select
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        grouping({{ label_column }}) = 1 as is_total,
        {%- for column in row_columns if column != label_column %}
        {{ column }},
        {%- endfor %}
        case when grouping({{ label_column }}) = 1 then '{{ label }}' else {{ label_column }} end as {{ label_column }},
        {%- for count in counts %}
        cast(sum({{ count }}) as bigint) as {{ count }}{{ ',' if not loop.last or amounts }}
        {%- endfor %}
        {%- for amount in amounts %}
        sum({{ amount }}) as {{ amount }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    group by {{ keys | join(', ') }}, rollup(({{ row_columns | join(', ') }}))
{%- endmacro %}
