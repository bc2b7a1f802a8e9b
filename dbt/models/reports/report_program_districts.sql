-- Published table: 各项目各区培训情况, every program the configuration defines (config/programs/*.yml,
-- seed `programs`) by district, districts in pinyin order, then each program's 合计. Participation and
-- completion follow each program's own rules (int_teacher_periods_evaluated), so a program added as
-- configuration appears here with no SQL written for it.
with districts as (
    {{ bulletin_rows('fct_district_training', district_filter=true) }}
),

district_rows as (
    {{ in_district_order('districts') }}
),

counts as (
    {{ with_total_row(
        'district_rows',
        keys=['program', 'period', 'export_date'],
        row_columns=['district', 'sort_order'],
        counts=['expected_teachers', 'participants', 'course_selected', 'course_completed',
                'enrollments_paid', 'enrollments_passed'],
        label_column='district',
        label='合计',
    ) }}
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
        {{ rate_columns('participation_rate', rate('participants', 'expected_teachers')) }},
        course_selected,
        course_completed,
        {{ rate_columns('course_completion_rate_expected', rate('course_completed', 'expected_teachers')) }},
        {{ rate_columns('course_completion_rate_actual', rate('course_completed', 'participants')) }},
        enrollments_paid,
        enrollments_passed,
        {{ rate_columns('pass_rate', rate('enrollments_passed', 'enrollments_paid')) }}
    from counts
)

select * from final
