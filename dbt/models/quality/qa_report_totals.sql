-- Frame of the totals check (expectations/qa.qa_report_totals.json): for every published table
-- with a 合计 / 总计 row, per period, export date and count column, that row's value and the sum
-- of the other rows. The count columns are read from each report as built (report_totals macro).
{#- each published table with a total row, and what the digest calls it -#}
{%- set reports = {
    'report_guopei_summary': '国培计划各区县调训与合格情况表',
    'report_itp1_assessment': '发展测评完成情况表',
    'report_itp1_district_progress': '各区培训率与结业率表',
    'report_itp1_subject': '各学科参训及完成情况表',
    'report_itp2_district_enrollments': '各区网络培训情况统计表',
    'report_itp2_district_teachers': '各区培训情况表',
    'report_school_based_districts': '各区校本研修学时达标情况表',
    'report_school_based_overall': '各区能力提升工程2.0合格情况表',
    'report_school_settlement': '全员培训各校结算表',
    'report_settlement': '全员培训承训机构结算表',
    'report_trainee_regions': '全员培训各设区市区县参训与学分登记情况表',
} %}

with
{%- for report in reports %}
    {{ report }} as (
        select * from {{ ref(report) }}
    ),
{% endfor %}
totals as (
    {%- for report in reports %}
        {{ report_totals(report, ref(report), reports[report]) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select * from totals
)

select * from final
