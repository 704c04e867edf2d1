-- table: time_in_status
-- How long live leads stay in each status, per pipeline and status, from lead_status_stays.
-- Hours are over completed stays (the lead moved on); open stays are only counted.
-- coverage_start says since when lead_status_history holds every status change (_sync_state);
-- stays that began earlier are not in these figures.
WITH coverage AS (
  SELECT account_id, max(coverage_start) AS coverage_start
  FROM _sync_state
  WHERE table_name = 'lead_status_history'
  GROUP BY account_id
),
first_change AS (
  SELECT account_id, min(changed_at) AS first_change_at FROM lead_status_history GROUP BY account_id
)
SELECT
  t.account_id,
  t.pipeline_id,
  p.name AS pipeline_name,
  t.status_id,
  s.name AS status_name,
  s.sort AS status_sort,
  count(*) AS stays,
  count(t.left_at) AS completed_stays,
  count(*) - count(t.left_at) AS open_stays,
  avg(t.hours) AS avg_hours,
  percentile(t.hours, 0.5) AS median_hours,
  max(t.hours) AS max_hours,
  coalesce(max(c.coverage_start), max(f.first_change_at)) AS coverage_start
FROM lead_status_stays t
LEFT JOIN coverage c ON c.account_id = t.account_id
LEFT JOIN first_change f ON f.account_id = t.account_id
LEFT JOIN pipelines p ON p.account_id = t.account_id AND p.id = t.pipeline_id
LEFT JOIN statuses s ON s.account_id = t.account_id AND s.pipeline_id = t.pipeline_id AND s.id = t.status_id
GROUP BY t.account_id, t.pipeline_id, p.name, t.status_id, s.name, s.sort
