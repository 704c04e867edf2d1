-- table: ga_client_id_coverage
-- Live leads with and without a Google Analytics client id, per pipeline and created month (the
-- account's local months). The id is leads.ga_client_id, which ingest fills from the lead field
-- named by amocrm.custom-fields.ga-client-id; with that key unset every lead counts as without.
SELECT
  f.account_id,
  f.pipeline_id,
  max(f.pipeline_name) AS pipeline_name,
  f.created_month AS month,
  count(*) AS leads,
  count_if(nullif(trim(f.ga_client_id), '') IS NOT NULL) AS with_ga_client_id,
  count_if(nullif(trim(f.ga_client_id), '') IS NULL) AS without_ga_client_id,
  count_if(nullif(trim(f.ga_client_id), '') IS NOT NULL) / count(*) AS share_with_ga_client_id
FROM lead_facts f
GROUP BY f.account_id, f.pipeline_id, f.created_month
