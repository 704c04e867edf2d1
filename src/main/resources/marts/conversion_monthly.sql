-- table: conversion_monthly
-- Won/lost conversion per pipeline and month (the account's local months), over live leads.
-- Two readings of "month" side by side:
--   cohort (created_month): of the leads created that month, how many are won, lost, still open;
--   closed (closed_month):  how many leads were won or lost that month, whenever they were created.
-- conversion = won / created; win_rate = won / (won + lost); null where the divisor is 0.
WITH cohort AS (
  SELECT account_id, pipeline_id, created_month AS month,
         count(*) AS leads_created,
         count_if(stage = 'won') AS won,
         count_if(stage = 'lost') AS lost,
         count_if(stage = 'open') AS still_open,
         sum(CASE WHEN stage = 'won' THEN price END) AS won_amount
  FROM lead_facts
  GROUP BY account_id, pipeline_id, created_month
),
closed AS (
  SELECT account_id, pipeline_id, closed_month AS month,
         count_if(stage = 'won') AS closed_won,
         count_if(stage = 'lost') AS closed_lost,
         sum(CASE WHEN stage = 'won' THEN price END) AS closed_won_amount
  FROM lead_facts
  WHERE stage <> 'open' AND closed_month IS NOT NULL
  GROUP BY account_id, pipeline_id, closed_month
),
months AS (
  SELECT account_id, pipeline_id, month FROM cohort
  UNION
  SELECT account_id, pipeline_id, month FROM closed
)
SELECT
  m.account_id,
  m.pipeline_id,
  p.name AS pipeline_name,
  m.month,
  coalesce(c.leads_created, 0) AS leads_created,
  coalesce(c.won, 0) AS won,
  coalesce(c.lost, 0) AS lost,
  coalesce(c.still_open, 0) AS still_open,
  coalesce(c.won_amount, CAST(0 AS DECIMAL(28, 2))) AS won_amount,
  CASE WHEN c.leads_created > 0 THEN c.won / c.leads_created END AS conversion,
  CASE WHEN c.won + c.lost > 0 THEN c.won / (c.won + c.lost) END AS win_rate,
  coalesce(d.closed_won, 0) AS closed_won,
  coalesce(d.closed_lost, 0) AS closed_lost,
  coalesce(d.closed_won_amount, CAST(0 AS DECIMAL(28, 2))) AS closed_won_amount
FROM months m
LEFT JOIN cohort c ON c.account_id = m.account_id AND c.pipeline_id = m.pipeline_id AND c.month = m.month
LEFT JOIN closed d ON d.account_id = m.account_id AND d.pipeline_id = m.pipeline_id AND d.month = m.month
LEFT JOIN pipelines p ON p.account_id = m.account_id AND p.id = m.pipeline_id
