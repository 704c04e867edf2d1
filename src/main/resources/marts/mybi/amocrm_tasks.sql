-- view: amocrm_tasks
-- mybi-compatible tasks (docs/conventions.md): status_code 1 when completed, else 0.
SELECT
  id AS id,
  account_id,
  id AS task_id,
  task_type_id AS task_type,
  text,
  result_text AS result,
  CASE WHEN is_completed THEN 1 ELSE 0 END AS status_code,
  is_deleted
FROM tasks
