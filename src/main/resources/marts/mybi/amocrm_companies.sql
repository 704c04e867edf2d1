-- view: amocrm_companies
-- mybi-compatible companies (docs/conventions.md): first phone, email and web site.
SELECT
  c.id AS id,
  c.account_id,
  c.id AS company_id,
  c.name,
  c.phone,
  c.email,
  web.value AS site,
  c.is_deleted
FROM companies c
LEFT JOIN (
  SELECT account_id, entity_id, min_by(value, value_index) AS value
  FROM companies_custom_field_values WHERE field_code = 'WEB' GROUP BY account_id, entity_id
) web ON web.account_id = c.account_id AND web.entity_id = c.id
