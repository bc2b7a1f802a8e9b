-- Published table: 能力提升工程2.0 各区培训情况 (teacher level), rows in pinyin order as the
-- bulletin prints them, then 合计. Columns after the `_` keys match
-- data/reference/gz_<period>_itp2_district_teachers.csv; `peixun table` prints them. Each rate is the
-- program's 口径 (seed training_rates, grain district).
with districts as (
    {{ bulletin_rows('fct_district_training', 'itp2', district_filter=true) }}
),

district_rows as (
    {{ in_district_order('districts') }}
),

{% set counted = ['expected_teachers', 'participants', 'course_selected', 'course_completed',
                  'workshop_selected', 'workshop_completed', 'submitted', 'certified'] %}
{% set rates = ['participation_rate', 'course_completion_rate_expected', 'course_completion_rate_actual',
                'workshop_completion_rate_expected', 'workshop_completion_rate_actual',
                'certification_rate_expected', 'certification_rate_actual'] %}
counts as (
    {{ with_total_row(
        'district_rows',
        keys=['period', 'export_date'],
        row_columns=['district', 'sort_order'],
        counts=counted,
        label_column='district',
        label='合计',
    ) }}
),

ruled as (
    {{ with_rate_rules('counts', 'district', rates, program_code='itp2') }}
),

final as (
    select
        period as _period,
        export_date as _export_date,
        case when is_total then 100 else sort_order end as _sort_order,
        district,
        expected_teachers,
        participants,
        {{ published_rate('participation_rate', counted) }},
        course_selected,
        course_completed,
        {{ published_rate('course_completion_rate_expected', counted) }},
        {{ published_rate('course_completion_rate_actual', counted) }},
        workshop_selected,
        workshop_completed,
        {{ published_rate('workshop_completion_rate_expected', counted) }},
        {{ published_rate('workshop_completion_rate_actual', counted) }},
        submitted,
        certified,
        {{ published_rate('certification_rate_expected', counted) }},
        {{ published_rate('certification_rate_actual', counted) }}
    from ruled
)

select * from final
