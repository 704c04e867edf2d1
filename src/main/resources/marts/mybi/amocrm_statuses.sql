-- view: amocrm_statuses
-- mybi-compatible statuses, keyed (account_id, pipeline_id, status_id) (docs/conventions.md).
SELECT account_id, pipeline_id, id AS status_id, name, color, sort, is_editable, type
FROM statuses
