-- Survey items (满意度调查 评价项目) whose printed shares do not add up to 100% within rounding: the
-- shares the warehouse publishes (two decimals, from the answers) and those a vendor's report prints
-- (项目报告指标 `满意度/<item>/<level>`, at the decimals printed). Rounding to d decimals moves each
-- share at most half a unit of its last digit, so the allowed gap is the sum of those halves. The
-- check survey_shares_not_100 (expectations/qa.qa_survey_shares.json) is a WARN naming the item.
with survey_items as (
    select * from {{ ref('fct_survey_items') }}
),

claims as (
    select * from {{ ref('stg_platform__vendor_claims') }}
),

-- one row per figure printed (a report may print it twice)
claimed_shares as (
    select distinct
        document,
        program,
        period,
        as_of,
        metric,
        claimed_number,
        claimed_decimals
    from claims
    where metric like '满意度/%/%' and is_percent and claimed_number is not null
),

printed as (
    select
        '仓库' as origin,
        program,
        period,
        export_date as as_of,
        item,
        floor(share * 10000 + 0.5 + 1e-9) / 100 as share_percent,
        0.005 as half_unit
    from survey_items
    union all
    select
        document as origin,
        program,
        period,
        as_of,
        split_part(metric, '/', 2) as item,
        cast(claimed_number as double) as share_percent,
        0.5 * power(10, -claimed_decimals) as half_unit
    from claimed_shares
),

final as (
    select
        origin,
        program,
        period,
        as_of,
        item,
        count(*) as levels,
        round(sum(share_percent), 4) as share_sum,
        round(sum(half_unit), 4) as tolerance,
        round(greatest(abs(sum(share_percent) - 100) - sum(half_unit), 0), 4) as beyond_rounding
    from printed
    group by origin, program, period, as_of, item
)

select * from final
