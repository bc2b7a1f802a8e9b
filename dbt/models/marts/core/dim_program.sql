-- Training programs (培训项目) and the rules that define participation and completion.
select
    program,
    program_code,
    program_en,
    participant_rule,
    completion_rule,
    required_hours,
    graduation_hours,
    has_workshops,
    expected_basis,
    rule_zh
from {{ ref('programs') }}
