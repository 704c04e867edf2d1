-- view: lead_status_stays
-- Each stay of a live lead in a status, from lead_status_history: it begins with the change
-- into the status and ends with the lead's next change (left_at is null while it is still
-- there). Changes in the same second are ordered by event id. A stay that began before the
-- history's coverage start has no row: its beginning is unknown.
WITH ordered AS (
  SELECT h.account_id, h.lead_id, h.event_id, h.to_pipeline_id AS pipeline_id, h.to_status_id AS status_id,
         h.changed_at AS entered_at,
         lead(h.changed_at) OVER (PARTITION BY h.account_id, h.lead_id ORDER BY h.changed_at, h.event_id) AS left_at
  FROM lead_status_history h
)
SELECT o.account_id, o.lead_id, o.pipeline_id, o.status_id, o.event_id, o.entered_at, o.left_at,
       CAST(unix_timestamp(o.left_at) - unix_timestamp(o.entered_at) AS DOUBLE) / 3600 AS hours
FROM ordered o
WHERE EXISTS (SELECT 1 FROM lead_facts f WHERE f.account_id = o.account_id AND f.lead_id = o.lead_id)
