-- view: data_freshness
-- Per account, job and table, from _journal: the latest run (its status, rows and error), the
-- latest successful run, and how many hours ago that was (at query time); with the table's
-- watermark and coverage start from _sync_state. A table whose last run failed or was partial
-- shows it here before anyone reads stale numbers.
WITH runs AS (
  SELECT j.*,
         row_number() OVER (PARTITION BY j.account_id, j.job, j.table_name
                            ORDER BY j.finished_at DESC, j.started_at DESC, j.run_id DESC) AS rn
  FROM _journal j
),
ok AS (
  SELECT account_id, job, table_name, max(finished_at) AS last_success_at
  FROM _journal
  WHERE status = 'ok'
  GROUP BY account_id, job, table_name
)
SELECT
  r.account_id,
  r.job,
  r.table_name,
  r.run_id AS last_run_id,
  r.status AS last_status,
  r.finished_at AS last_run_at,
  r.error AS last_error,
  r.rows_read AS last_rows_read,
  r.rows_upserted AS last_rows_written,
  o.last_success_at,
  CAST(unix_timestamp(current_timestamp()) - unix_timestamp(o.last_success_at) AS DOUBLE) / 3600 AS hours_since_success,
  s.watermark,
  s.coverage_start
FROM runs r
LEFT JOIN ok o ON o.account_id = r.account_id AND o.job = r.job AND o.table_name = r.table_name
LEFT JOIN _sync_state s ON s.account_id = r.account_id AND s.table_name = r.table_name AND r.job = 'ingest'
WHERE r.rn = 1
