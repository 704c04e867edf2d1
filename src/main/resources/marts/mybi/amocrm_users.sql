-- view: amocrm_users
-- mybi-compatible users (docs/conventions.md). amoCRM's users list carries no phone,
-- group or role names: those columns are null.
SELECT
  account_id, id AS user_id, email AS login, name, CAST(NULL AS STRING) AS phone, email, group_id,
  CAST(NULL AS STRING) AS group_name, role_id, CAST(NULL AS STRING) AS role_name, is_admin, is_active, is_free,
  mail_access, catalog_access
FROM users
