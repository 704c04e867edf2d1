-- view: amocrm_contacts
-- mybi-compatible contacts (docs/conventions.md): company name, position (the POSITION
-- field), first phone and email; deleted contacts stay, flagged.
SELECT
  c.id AS id,
  c.account_id,
  c.id AS contact_id,
  c.name,
  c.first_name,
  c.last_name,
  co.name AS company,
  pos.value AS post,
  c.phone,
  c.email,
  c.is_deleted
FROM contacts c
LEFT JOIN companies co ON co.account_id = c.account_id AND co.id = c.company_id
LEFT JOIN (
  SELECT account_id, entity_id, min_by(value, value_index) AS value
  FROM contacts_custom_field_values WHERE field_code = 'POSITION' GROUP BY account_id, entity_id
) pos ON pos.account_id = c.account_id AND pos.entity_id = c.id
