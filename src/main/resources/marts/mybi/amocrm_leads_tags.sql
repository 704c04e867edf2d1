-- view: amocrm_leads_tags
-- mybi-compatible lead tags (docs/conventions.md).
SELECT account_id, entity_id AS leads_id, tag_id, tag_name AS name
FROM leads_tags
