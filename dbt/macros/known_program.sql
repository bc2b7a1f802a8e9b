{#
  known_program(column): true when the program (培训项目) is one the seed `programs` defines.
  Program facts hold known programs only: rows of a program no configuration knows (a vendor's
  new project) are kept out of them and reported by the check unknown_programs
  (models/quality/qa_unknown_programs.sql), so one new project never stops publishing.
#}
{% macro known_program(column) -%}
    ({{ column }} in (select known.program from {{ ref('programs') }} as known))
{%- endmacro %}

{#
  configured_program(program_column, source_column): true when a program file of config/programs/
  (compiled into the seed `program_sources`) names the program (培训项目) and lets the row's source
  folder claim it: its own rules read such rows (国培计划's scoring, Jiangxi's credits), so it is no
  unknown program there, while the Guangzhou program facts (known_program) still leave it out.
#}
{% macro configured_program(program_column, source_column) -%}
    exists (
        select 1 from {{ ref('program_sources') }} as configured
        where configured.program = {{ program_column }} and {{ source_column }} like configured.source_like escape '!'
    )
{%- endmacro %}
