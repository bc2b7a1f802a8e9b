-- Claims of a report (项目报告指标) that the records (against_records), or the report's own other
-- figures, contradict (marts.fct_claim_checks), each with both numbers: the WARNs
-- vendor_claim_contradicted and vendor_claim_inconsistent list them in the nightly digest, e.g. 合格率
-- printed 99.1% while the report's 合格人数 / 调训人数 is 6953 / 6983 = 99.57%. A claim printed alike in
-- several sections of a report is one row (its documents joined, the latest as_of).
with claim_checks as (
    select * from {{ ref('fct_claim_checks') }}
),

explained as (
    select
        *,
        case
            when numerator_value is not null and denominator_value is not null
                then basis || ' ' || numerator_value || ' / ' || denominator_value || ' = ' || expected_display
            else basis || ' ' || expected_display
        end
        || case
            when numerator_value > denominator_value
                then '（多出 ' || (numerator_value - denominator_value) || ' 人）'
            else ''
        end as expected
    from claim_checks
    where is_contradicted
),

final as (
    select
        program,
        period,
        coalesce(district, '全项目') as district,
        metric,
        claimed_value,
        rule,
        expected,
        rule in ('figure', 'survey') as against_records,
        {{ sorted_string_agg('document', '；', distinct=true) }} as documents,
        max(as_of) as as_of,
        1 as contradicted
    from explained
    group by program, period, district, metric, claimed_value, rule, expected
)

select * from final
