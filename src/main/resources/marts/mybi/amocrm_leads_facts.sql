-- view: amocrm_leads_facts
-- mybi-compatible lead facts (docs/conventions.md): the lead's links, its money and its
-- dates. mybi points dates at general_dates; here they are the account's local date and time.
SELECT
  l.account_id,
  l.id AS leads_id,
  l.responsible_user_id AS users_id,
  l.main_contact_id AS contacts_id,
  l.company_id AS companies_id,
  from_utc_timestamp(l.created_at, coalesce(a.timezone, 'UTC')) AS created_date,
  from_utc_timestamp(l.closed_at, coalesce(a.timezone, 'UTC')) AS closed_date,
  l.price,
  l.labor_cost,
  l.score
FROM leads l
LEFT JOIN account a ON a.account_id = l.account_id
