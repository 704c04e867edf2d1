-- view: amocrm_pipelines
-- mybi-compatible pipelines (docs/conventions.md).
SELECT account_id, id AS pipeline_id, name, sort, is_main, is_unsorted_on, is_archive
FROM pipelines
