-- 中文报表视图: report_itp1_community with the bulletin's Chinese column names.
select {{ zh_columns(ref('report_itp1_community')) }}
from {{ ref('report_itp1_community') }}
