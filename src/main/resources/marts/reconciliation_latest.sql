-- view: reconciliation_latest
-- The rows of each account's latest reconciliation run (_reconciliation, written by reconcile):
-- lake against CRM counts and sums per period, pipeline, status and tag. Empty, with these
-- columns, until reconcile has run (or in a lake made before reconcile existed).
WITH runs AS (
  SELECT account_id, run_id, max(checked_at) AS checked_at FROM _reconciliation GROUP BY account_id, run_id
),
latest AS (
  SELECT account_id, run_id
  FROM (SELECT account_id, run_id,
               row_number() OVER (PARTITION BY account_id ORDER BY checked_at DESC, run_id DESC) AS rn
        FROM runs) x
  WHERE x.rn = 1
)
SELECT r.account_id, r.run_id, r.checked_at, r.kind, r.table_name, r.slice, r.period, r.pipeline_id, r.status_id,
       r.tag_id, r.entity_key, r.lake_count, r.api_count, r.lake_sum, r.api_sum, r.lake_value, r.api_value, r.status
FROM _reconciliation r
JOIN latest l ON l.account_id = r.account_id AND l.run_id = r.run_id
