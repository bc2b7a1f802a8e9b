-- Published table: 能力提升工程2.0 各区培训情况 (teacher level), rows in pinyin order as the
-- bulletin prints them, then 合计. Columns after the `_` keys match
-- data/reference/gz_<period>_itp2_district_teachers.csv; `peixun table` prints them.
with districts as (
    {{ bulletin_rows('fct_district_training', 'itp2', district_filter=true) }}
),

district_rows as (
    {{ in_district_order('districts') }}
),

counts as (
    {{ with_total_row(
        'district_rows',
        keys=['period', 'export_date'],
        row_columns=['district', 'sort_order'],
        counts=['expected_teachers', 'participants', 'course_selected', 'course_completed',
                'workshop_selected', 'workshop_completed', 'submitted', 'certified'],
        label_column='district',
        label='合计',
    ) }}
),

final as (
    select
        period as _period,
        export_date as _export_date,
        case when is_total then 100 else sort_order end as _sort_order,
        district,
        expected_teachers,
        participants,
        {{ rate_columns('participation_rate', rate('participants', 'expected_teachers')) }},
        course_selected,
        course_completed,
        {{ rate_columns('course_completion_rate_expected', rate('course_completed', 'expected_teachers')) }},
        {{ rate_columns('course_completion_rate_actual', rate('course_completed', 'participants')) }},
        workshop_selected,
        workshop_completed,
        {{ rate_columns('workshop_completion_rate_expected', rate('workshop_completed', 'expected_teachers')) }},
        {{ rate_columns('workshop_completion_rate_actual', rate('workshop_completed', 'participants')) }},
        submitted,
        certified,
        {{ rate_columns('certification_rate_expected', rate('certified', 'expected_teachers')) }},
        {{ rate_columns('certification_rate_actual', rate('certified', 'participants')) }}
    from counts
)

select * from final
