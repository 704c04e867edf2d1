-- view: amocrm_leads
-- mybi-compatible lead dimension (docs/conventions.md). mybi's surrogate id is the
-- amoCRM id here, so join on (account_id, id); deleted leads stay, flagged, as in mybi.
SELECT
  l.id AS id,
  l.account_id,
  l.id AS lead_id,
  l.name,
  p.name AS pipeline,
  l.pipeline_id,
  s.name AS status,
  l.status_id,
  s.sort AS status_order,
  l.request_id,
  r.name AS loss_reason,
  l.loss_reason_id,
  l.is_deleted
FROM leads l
LEFT JOIN pipelines p ON p.account_id = l.account_id AND p.id = l.pipeline_id
LEFT JOIN statuses s ON s.account_id = l.account_id AND s.pipeline_id = l.pipeline_id AND s.id = l.status_id
LEFT JOIN loss_reasons r ON r.account_id = l.account_id AND r.id = l.loss_reason_id
