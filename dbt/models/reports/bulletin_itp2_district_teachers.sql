-- 中文报表视图: report_itp2_district_teachers with the bulletin's Chinese column names.
select {{ zh_columns(ref('report_itp2_district_teachers')) }}
from {{ ref('report_itp2_district_teachers') }}
