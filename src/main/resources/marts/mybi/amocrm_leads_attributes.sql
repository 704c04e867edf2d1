-- view: amocrm_leads_attributes
-- mybi-compatible lead custom fields as key/value rows (docs/conventions.md): one row per
-- lead and field, several values joined with ', ' in their order; leads_id is the lead's id.
SELECT
  account_id,
  entity_id AS leads_id,
  CAST(field_id AS STRING) AS attribute_id,
  max(field_name) AS name,
  array_join(transform(array_sort(collect_list(named_struct('i', value_index, 'v', value))), x -> x.v), ', ') AS value
FROM leads_custom_field_values
GROUP BY account_id, entity_id, field_id
