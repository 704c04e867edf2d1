-- table: manager_stats
-- Per responsible user: live leads, open, won and lost, won revenue (the price of won leads),
-- and their open tasks, overdue ones among them. "Overdue" is judged at tasks_as_of, the moment
-- the lake's tasks are known up to (the tasks watermark in _sync_state), not at query time, so
-- the figure means the same whenever it is read. Every live user has a row; so does a deleted
-- user who still has leads or tasks.
WITH as_of AS (
  SELECT account_id, max(watermark) AS tasks_as_of
  FROM _sync_state
  WHERE table_name = 'tasks'
  GROUP BY account_id
),
lead_counts AS (
  SELECT account_id, responsible_user_id AS user_id,
         count(*) AS leads,
         count_if(stage = 'open') AS open_leads,
         count_if(stage = 'won') AS won,
         count_if(stage = 'lost') AS lost,
         sum(CASE WHEN stage = 'won' THEN price END) AS won_amount,
         sum(CASE WHEN stage = 'open' THEN price END) AS open_amount
  FROM lead_facts
  GROUP BY account_id, responsible_user_id
),
task_counts AS (
  SELECT t.account_id, t.responsible_user_id AS user_id,
         count(*) AS open_tasks,
         count_if(t.complete_till < a.tasks_as_of) AS overdue_tasks
  FROM tasks t
  LEFT JOIN as_of a ON a.account_id = t.account_id
  WHERE NOT t.is_deleted AND NOT t.is_completed
  GROUP BY t.account_id, t.responsible_user_id
),
people AS (
  SELECT account_id, id AS user_id FROM users WHERE NOT is_deleted
  UNION
  SELECT account_id, user_id FROM lead_counts
  UNION
  SELECT account_id, user_id FROM task_counts
)
SELECT
  x.account_id,
  x.user_id,
  u.name AS user_name,
  coalesce(u.is_active AND NOT u.is_deleted, false) AS is_active,
  coalesce(l.leads, 0) AS leads,
  coalesce(l.open_leads, 0) AS open_leads,
  coalesce(l.won, 0) AS won,
  coalesce(l.lost, 0) AS lost,
  coalesce(l.won_amount, CAST(0 AS DECIMAL(28, 2))) AS won_amount,
  coalesce(l.open_amount, CAST(0 AS DECIMAL(28, 2))) AS open_amount,
  CASE WHEN l.won + l.lost > 0 THEN l.won / (l.won + l.lost) END AS win_rate,
  coalesce(t.open_tasks, 0) AS open_tasks,
  coalesce(t.overdue_tasks, 0) AS overdue_tasks,
  a.tasks_as_of
FROM people x
LEFT JOIN users u ON u.account_id = x.account_id AND u.id = x.user_id
LEFT JOIN lead_counts l ON l.account_id = x.account_id AND l.user_id = x.user_id
LEFT JOIN task_counts t ON t.account_id = x.account_id AND t.user_id = x.user_id
LEFT JOIN as_of a ON a.account_id = x.account_id
