{#
  bulletin_rows(fact, program_code=none, district_filter=false): the rows of a mart that a published
  table prints: one program (by its code in seed `programs`) or, without a code, every program the
  seed defines, all school ownerships together.
  With district_filter, a district outside the bulletin's list appears only when something
  happened there (participants or paid enrollments), so empty noise rows stay out while the
  totals stay honest.
#}
{% macro bulletin_rows(fact, program_code=none, district_filter=false) -%}
    select fct.*
    from {{ ref(fact) }} as fct
    inner join {{ ref('dim_program') }} as program on fct.program = program.program
    where
        {% if program_code is not none -%}
        program.program_code = '{{ program_code }}' and
        {% endif -%}
        fct.school_ownership = '全部'
        {%- if district_filter %}
        and (
            fct.district in (select district from {{ ref('dim_district') }})
            or fct.participants > 0
            or fct.enrollments_paid > 0
        )
        {%- endif %}
{%- endmacro %}
