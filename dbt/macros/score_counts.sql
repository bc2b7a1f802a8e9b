{#
  score_counts(): the counts and means of a scoring program (双合格) over a group of rows of
  fct_teacher_scores, one definition for its per-district and per-class marts: 调训 (trained), by stage
  (中小学 / 幼儿园), logged in (登录), learners (学习人数), 合格, 优秀, and the mean online, offline and
  total scores.
#}
{% macro score_counts() -%}
        count(*) as trained,
        count(*) filter (where stage_group = '中小学') as primary_secondary,
        count(*) filter (where stage_group = '幼儿园') as kindergarten,
        count(*) filter (where has_logged_in) as logged_in,
        count(*) filter (where is_learner) as learners,
        count(*) filter (where is_passed) as passed,
        count(*) filter (where is_excellent) as excellent,
        avg(online_score) as mean_online_score,
        avg(offline_score) as mean_offline_score,
        avg(total_score) as mean_total_score
{%- endmacro %}
