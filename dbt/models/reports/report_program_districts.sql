-- Published table: 各项目各区培训情况, every program the configuration defines (config/programs/*.yml,
-- seed `programs`) by district, districts in pinyin order, then each program's 合计. Participation and
-- completion follow each program's own rules (int_teacher_periods_evaluated), its rates its own 口径
-- (seed training_rates, grain district), so a program added as
-- configuration appears here with no SQL written for it.
with districts as (
    {{ bulletin_rows('fct_district_training', district_filter=true) }}
),

district_rows as (
    {{ in_district_order('districts') }}
),

{% set counted = ['expected_teachers', 'participants', 'course_selected', 'course_completed',
                  'enrollments_paid', 'enrollments_passed'] %}
counts as (
    {{ with_total_row(
        'district_rows',
        keys=['program', 'period', 'export_date'],
        row_columns=['district', 'sort_order'],
        counts=counted,
        label_column='district',
        label='合计',
    ) }}
),

ruled as (
    {{ with_rate_rules('counts', 'district', ['participation_rate', 'course_completion_rate_expected',
                               'course_completion_rate_actual', 'pass_rate']) }}
),

final as (
    select
        period as _period,
        export_date as _export_date,
        dense_rank() over (partition by period, export_date order by program) * 1000
        + case when is_total then 999 else sort_order end as _sort_order,
        program,
        district,
        expected_teachers,
        participants,
        {{ published_rate('participation_rate', counted) }},
        course_selected,
        course_completed,
        {{ published_rate('course_completion_rate_expected', counted) }},
        {{ published_rate('course_completion_rate_actual', counted) }},
        enrollments_paid,
        enrollments_passed,
        {{ published_rate('pass_rate', counted) }}
    from ruled
)

select * from final
