-- 中文报表视图: report_regular_course_buckets with the bulletin's Chinese column names.
select {{ zh_columns(ref('report_regular_course_buckets')) }}
from {{ ref('report_regular_course_buckets') }}
