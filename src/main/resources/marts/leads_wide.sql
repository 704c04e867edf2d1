-- table: leads_wide
-- One row per live lead: lead_facts, its tags, and one column per lead custom field, pivoted by
-- field id and named by the field's current name (custom_fields; a field deleted since keeps its
-- last name while leads still hold values). Column comments carry the field id and type.
-- Numbers (numeric, price, monetary) are DECIMAL, date and birthday DATE, date_time TIMESTAMP,
-- checkbox BOOLEAN; anything else is text, several values joined with ', ' in their order.
-- `marts` writes the column list below from the fields in the lake at the time it runs.
SELECT
  f.*,
  t.tags{{field_columns}}
FROM lead_facts f
LEFT JOIN (
  SELECT account_id, entity_id, array_join(array_sort(collect_list(tag_name)), ', ') AS tags
  FROM leads_tags
  GROUP BY account_id, entity_id
) t ON t.account_id = f.account_id AND t.entity_id = f.lead_id
LEFT JOIN (
  SELECT account_id, entity_id{{field_aggregates}}
  FROM leads_custom_field_values
  GROUP BY account_id, entity_id
) v ON v.account_id = f.account_id AND v.entity_id = f.lead_id
