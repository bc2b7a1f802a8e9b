{#
  known_program(column): true when the program (培训项目) is one the seed `programs` defines.
  Program facts hold known programs only: rows of a program no configuration knows (a vendor's
  new project) are kept out of them and reported by the check unknown_programs
  (models/quality/qa_unknown_programs.sql), so one new project never stops publishing.
#}
{% macro known_program(column) -%}
    ({{ column }} in (select known.program from {{ ref('programs') }} as known))
{%- endmacro %}
