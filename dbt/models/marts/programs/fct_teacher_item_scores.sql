-- 双合格 item scores: one row per teacher, program period and 考核项目, the points the item earns
-- from its 考核成绩 measure as the seed program_score_items (config/programs/*.yml) configures it.
with assessment_scores as (
    select * from {{ ref('stg_platform__assessment_scores') }}
),

program_sources as (
    select * from {{ ref('program_sources') }}
),

score_items as (
    select * from {{ ref('program_score_items') }}
),

claimed as (
    select
        assessment_scores.source_name,
        assessment_scores.export_date,
        program_sources.program_code,
        assessment_scores.program,
        assessment_scores.period,
        assessment_scores.teacher_id,
        cast(assessment_scores.study_minutes as double) as study_minutes,
        cast(assessment_scores.workshop_posts as double) as workshop_posts,
        cast(assessment_scores.reflections as double) as reflections,
        cast(assessment_scores.homework_passed as double) as homework_passed,
        cast(assessment_scores.peer_reviews as double) as peer_reviews,
        cast(assessment_scores.practice_score as double) as practice_score,
        cast(assessment_scores.results_score as double) as results_score
    from assessment_scores
    inner join program_sources
        on
        assessment_scores.program = program_sources.program
        and assessment_scores.source_name like program_sources.source_like escape '!'
),

measures as (
    select *
    from claimed unpivot (
        measure_value for measure in (
            study_minutes, workshop_posts, reflections, homework_passed, peer_reviews, practice_score, results_score
        )
    )
),

scored as (
    select
        measures.source_name,
        measures.export_date,
        measures.program_code,
        measures.program,
        measures.period,
        measures.teacher_id,
        score_items.item,
        score_items.item_order,
        score_items.part,
        score_items.measure,
        score_items.mode,
        score_items.points,
        measures.measure_value,
        case score_items.mode
            when 'proportional' then score_items.points * least(1, measures.measure_value / score_items.target)
            when 'all_or_nothing'
                then case when measures.measure_value >= score_items.target then score_items.points else 0 end
            when 'as_given' then measures.measure_value
        end as raw_score,
        score_items.rounding,
        score_items.decimals
    from measures
    inner join score_items
        on
        measures.program = score_items.program
        and measures.period = score_items.period
        and measures.measure = score_items.measure
),

final as (
    select
        source_name,
        export_date,
        program_code,
        program,
        period,
        teacher_id,
        item,
        item_order,
        part,
        measure,
        mode,
        measure_value,
        points,
        {{ rounded('raw_score', 'rounding', 'decimals') }} as score,
        raw_score between 0 and points as is_in_range
    from scored
)

select * from final
