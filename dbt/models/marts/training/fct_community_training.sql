-- Community (社区: 学习社区 / 研修社区) x program x period x school ownership x export date
-- (ITP 1.0 table 3). Completed = passed at least one course of that community. The logic is
-- shared with fct_subject_training: macros/teachers_by_group.sql.
{{ config(materialized='incremental', partition_by=rebuilt_per('export_date')) }}
{{ teachers_by_group('community', 'community', completed_in='group') }}
