-- 考核成绩: one row per teacher per project, the raw values the 双合格 items are scored from.
-- Counts and reviewer's points arrive empty when nothing was recorded yet: read as 0.
-- Empty yes/no cells mean "no" (作业考核 not passed, not 优秀).
with source as (
    select * from {{ source('platform', 'assessment_scores') }}
),

final as (
    select
        source_name,
        export_date,
        teacher_id,
        program,
        period,
        class_id,
        coalesce(study_minutes, 0) as study_minutes,
        coalesce(workshop_posts, 0) as workshop_posts,
        coalesce(reflections, 0) as reflections,
        coalesce(homework_passed, false) as homework_passed,
        coalesce(peer_reviews, 0) as peer_reviews,
        coalesce(practice_score, 0) as practice_score,
        coalesce(results_score, 0) as results_score,
        coalesce(excellent, false) as is_excellent,
        load_id
    from source
)

select * from final
