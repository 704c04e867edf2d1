-- view: lead_facts
-- One row per live lead (deleted ones are left out), with the names analysts group by and its
-- times in the account's time zone. Months and days are local to the account (account.timezone,
-- as /api/v4/account reports it), the same buckets reconcile uses; timestamps stay UTC.
-- amoCRM's status 142 is "won" and 143 "lost" in every pipeline (docs/amocrm-api.md §2.2).
SELECT
  l.account_id,
  l.id AS lead_id,
  l.name,
  l.price,
  l.pipeline_id,
  p.name AS pipeline_name,
  l.status_id,
  s.name AS status_name,
  s.sort AS status_sort,
  CASE l.status_id WHEN 142 THEN 'won' WHEN 143 THEN 'lost' ELSE 'open' END AS stage,
  l.responsible_user_id,
  u.name AS responsible_user_name,
  l.loss_reason_id,
  r.name AS loss_reason_name,
  l.ga_client_id,
  l.request_id,
  l.main_contact_id,
  l.company_id,
  l.created_at,
  l.updated_at,
  l.closed_at,
  coalesce(a.timezone, 'UTC') AS timezone,
  CAST(from_utc_timestamp(l.created_at, coalesce(a.timezone, 'UTC')) AS DATE) AS created_date,
  trunc(CAST(from_utc_timestamp(l.created_at, coalesce(a.timezone, 'UTC')) AS DATE), 'MM') AS created_month,
  CAST(from_utc_timestamp(l.closed_at, coalesce(a.timezone, 'UTC')) AS DATE) AS closed_date,
  trunc(CAST(from_utc_timestamp(l.closed_at, coalesce(a.timezone, 'UTC')) AS DATE), 'MM') AS closed_month
FROM leads l
LEFT JOIN account a ON a.account_id = l.account_id
LEFT JOIN pipelines p ON p.account_id = l.account_id AND p.id = l.pipeline_id
LEFT JOIN statuses s ON s.account_id = l.account_id AND s.pipeline_id = l.pipeline_id AND s.id = l.status_id
LEFT JOIN users u ON u.account_id = l.account_id AND u.id = l.responsible_user_id
LEFT JOIN loss_reasons r ON r.account_id = l.account_id AND r.id = l.loss_reason_id
WHERE NOT l.is_deleted
