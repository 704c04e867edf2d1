-- view: amocrm_statuses
-- mybi-compatible statuses, keyed (account_id, pipeline_id, status_id) (connector-conventions §1.3).
SELECT account_id, pipeline_id, id AS status_id, name, color, sort, is_editable, type
FROM statuses
