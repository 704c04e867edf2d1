-- table: sales_funnel
-- The sales funnel per pipeline and status, over live leads: how many leads are in each status
-- now and their amount, and how many ever reached it (they are in it now, or lead_status_history
-- shows them entering it). "Reached" counts only what the history covers; see time_in_status
-- for its coverage start. Archived statuses are listed while leads are or were in them.
WITH now_in AS (
  SELECT account_id, pipeline_id, status_id, count(*) AS leads, sum(price) AS amount
  FROM lead_facts
  GROUP BY account_id, pipeline_id, status_id
),
reached AS (
  SELECT e.account_id, e.pipeline_id, e.status_id, count(DISTINCT e.lead_id) AS leads
  FROM (
    SELECT account_id, lead_id, pipeline_id, status_id FROM lead_facts
    UNION
    SELECT h.account_id, h.lead_id, h.to_pipeline_id, h.to_status_id
    FROM lead_status_history h
    WHERE EXISTS (SELECT 1 FROM lead_facts f WHERE f.account_id = h.account_id AND f.lead_id = h.lead_id)
  ) e
  GROUP BY e.account_id, e.pipeline_id, e.status_id
)
SELECT
  s.account_id,
  s.pipeline_id,
  p.name AS pipeline_name,
  p.sort AS pipeline_sort,
  s.id AS status_id,
  s.name AS status_name,
  s.sort AS status_sort,
  CASE s.id WHEN 142 THEN 'won' WHEN 143 THEN 'lost' ELSE 'open' END AS stage,
  coalesce(n.leads, 0) AS leads_now,
  coalesce(n.amount, CAST(0 AS DECIMAL(28, 2))) AS amount_now,
  coalesce(r.leads, 0) AS leads_reached
FROM statuses s
LEFT JOIN pipelines p ON p.account_id = s.account_id AND p.id = s.pipeline_id
LEFT JOIN now_in n ON n.account_id = s.account_id AND n.pipeline_id = s.pipeline_id AND n.status_id = s.id
LEFT JOIN reached r ON r.account_id = s.account_id AND r.pipeline_id = s.pipeline_id AND r.status_id = s.id
WHERE NOT s.is_deleted OR n.leads > 0 OR r.leads > 0
