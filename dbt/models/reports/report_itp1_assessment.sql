-- Published table: 发展测评 completion by district and window, windows in date order, then
-- 总计. Columns after the `_` keys match data/reference/gz_ALL_itp1_assessment.csv.
with assessments as (
    select * from {{ ref('fct_assessment_completion') }}
),

window_rows as (
    {{ in_district_order('assessments', order_column='bulletin_order', as_column='district_order') }}
),

counts as (
    {{ with_total_row(
        'window_rows',
        keys=['export_date'],
        row_columns=['district', 'window_start', 'window_end', 'district_order'],
        counts=['expected', 'completed'],
        label_column='district',
        label='总计',
    ) }}
),

final as (
    select
        'ALL' as _period,
        export_date as _export_date,
        row_number() over (partition by export_date order by is_total, window_start, district_order) as _sort_order,
        district,
        case
            when is_total then '-'
            else cast(window_start as string) || '..' || cast(window_end as string)
        end as {{ adapter.quote("window") }},
        expected,
        completed
    from counts
)

select * from final
