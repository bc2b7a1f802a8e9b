-- Subject (of the course) x program x period x school ownership x export date (ITP 1.0 table 2).
-- A teacher counts in every subject whose courses they selected (未知学科 for a course without a
-- subject); completed = completed the period, by the program's rule. The logic is shared with
-- fct_community_training: macros/teachers_by_group.sql.
{{ config(materialized='incremental', partition_by=rebuilt_per('export_date')) }}
{{ teachers_by_group('subject', "coalesce(course_subject, '未知学科')", completed_in='period') }}
