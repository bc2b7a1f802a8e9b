-- 优秀学员 who did not pass (双合格): an 优秀 teacher can only be 合格 (PROGRAMS.md section 2), so a
-- row here means the vendor named a teacher 优秀 against its own rules, or the scoring is wrong. The
-- check excellent_not_passed (expectations/qa.qa_score_teachers.json) is an ERROR: nothing is published.
with teacher_scores as (
    select * from {{ ref('fct_teacher_scores') }}
),

final as (
    select
        source_name,
        export_date,
        program,
        period,
        teacher_id,
        class_id,
        online_score,
        offline_score,
        1 as excellent_not_passed
    from teacher_scores
    where is_excellent and not is_passed
)

select * from final
