-- view: amocrm_pipelines
-- mybi-compatible pipelines (connector-conventions §1.3).
SELECT account_id, id AS pipeline_id, name, sort, is_main, is_unsorted_on, is_archive
FROM pipelines
