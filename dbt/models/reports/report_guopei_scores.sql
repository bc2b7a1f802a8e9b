-- Published table: 国培计划 双合格 scores per teacher, by district (bulletin order), class and teacher:
-- online /60, offline /40, total with two decimals, 合格 and 优秀 as 是 / 否. Teacher identified by the
-- platform's teacher_id only (never a national ID, name or phone).
with teacher_scores as (
    select * from {{ ref('fct_teacher_scores') }}
    where program_code = 'guopei'
),

district_order as (
    select * from {{ ref('dim_district') }}
),

final as (
    select
        teacher_scores.period as _period,
        teacher_scores.export_date as _export_date,
        row_number() over (
            partition by teacher_scores.period, teacher_scores.export_date
            order by
                coalesce(district_order.bulletin_order, 99), teacher_scores.district, teacher_scores.class_id,
                teacher_scores.teacher_id
        ) as _sort_order,
        teacher_scores.district,
        teacher_scores.class_id,
        teacher_scores.teacher_id,
        {{ format_number('teacher_scores.online_score') }} as online_score,
        {{ format_number('teacher_scores.offline_score') }} as offline_score,
        {{ format_number('teacher_scores.total_score') }} as total_score,
        case when teacher_scores.is_passed then '是' else '否' end as passed,
        case when teacher_scores.is_excellent then '是' else '否' end as excellent
    from teacher_scores
    left join district_order on teacher_scores.district = district_order.district
)

select * from final
