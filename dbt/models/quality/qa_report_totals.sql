-- Frame of the totals check (expectations/qa.qa_report_totals.json): for every published table
-- with a 合计 / 总计 row, per period, export date and count column, that row's value and the sum
-- of the other rows. The count columns are read from each report as built (report_totals macro).
-- Spark: a table, as the reports are (its view text is over the 32,700 characters the Hive metastore keeps).
{{ config(materialized='table' if target.type == 'spark' else 'view') }}
{#- each published table with a total row; the digest calls it by its title (config.meta.title_zh) -#}
{%- set reports = [
    'report_guopei_summary',
    'report_itp1_assessment',
    'report_itp1_district_progress',
    'report_itp1_subject',
    'report_itp2_district_enrollments',
    'report_itp2_district_teachers',
    'report_program_districts',
    'report_school_based_districts',
    'report_school_based_overall',
    'report_school_settlement',
    'report_settlement',
    'report_trainee_regions',
] %}
{#- tables with one total row per group: the group columns before the row label -#}
{%- set groups = {'report_program_districts': ['program']} %}
{%- set titles = {} %}
{%- for node in graph.nodes.values() if execute and node.name in reports %}
    {%- do titles.update({node.name: node.config.meta.title_zh}) %}
{%- endfor %}

with
{%- for report in reports %}
    {{ report }} as (
        select * from {{ ref(report) }}
    ),
{% endfor %}
totals as (
    {%- for report in reports %}
        {{ report_totals(report, ref(report), titles.get(report, report), groups.get(report, [])) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select * from totals
)

select * from final
