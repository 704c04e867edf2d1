-- view: amocrm_leads_tags
-- mybi-compatible lead tags (connector-conventions §1.3).
SELECT account_id, entity_id AS leads_id, tag_id, tag_name AS name
FROM leads_tags
