"""amocrm-etl on Airflow: per account, an hourly ingest, a daily reconcile and a daily retention
(with lake maintenance), each one spark-submit of the amocrm-etl jar (SparkSubmitOperator, from
apache-airflow-providers-apache-spark).

The jobs and their command lines are described in amocrm_etl_jobs.json (read here and by the Java
tests); where the jar, the configs and the accounts are comes from the Airflow Variable
``amocrm_etl`` and the secrets from the Connection ``amocrm_<account>`` (see amocrm_etl_jobs.py and
docs/airflow.md). Copy the three files into the DAGs folder.

- One pool per account (``amocrm_<account>``, 1 slot): two jobs of one account never run at
  once, so they never share (and overrun) its request budget.
- Each run is bounded by its slot: ``--max-minutes`` (ingest) or ``--max-requests`` (reconcile)
  stop the job at a clean boundary, and ``execution_timeout`` kills what outlasts the slot
  (a killed run is safe: the next one converges, docs/lakehouse.md).
- Exit codes (docs/command-line.md): 6 (partial: the budget ran out, the next run resumes)
  succeeds; 2 (bad config), 3 (auth: re-connect needed) and 4 (blocked by amoCRM) fail at once,
  without retries, since a retry cannot help and, for 4, must not be tried; anything else is
  retried.
- Logging: with the Variable's ``log4j2`` (the path of conf/log4j2-spark-submit.properties on the
  worker) the task log shows the product's INFO lines and only Spark's warnings
  (docs/logging.md).
"""

import logging

from airflow.exceptions import AirflowFailException
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

try:  # Airflow 3
    from airflow.sdk import DAG, Variable
except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.models import Variable

import amocrm_etl_jobs as jobs

LOG = logging.getLogger(__name__)
DESCRIPTION = jobs.load()


class AmoEtlSubmitOperator(SparkSubmitOperator):
    """SparkSubmitOperator that reads the job's exit code: retries only where a retry may help."""

    def execute(self, context):
        try:
            return super().execute(context)
        except Exception as e:  # the provider's AirflowException, whichever module defines it
            code = jobs.returncode(e, getattr(self, "_hook", None))
            if not code:
                # Not spark-submit's exit: a timeout, a cluster-mode driver that failed after a
                # clean submit, a template or connection error. Airflow's rules apply.
                raise
            what = jobs.decision(DESCRIPTION, code)
            if what == "partial":
                LOG.warning("amocrm-etl stopped at its budget (exit %s): the work done is committed and the "
                            "next run resumes", code)
                return None
            if what == "fail":
                raise AirflowFailException(f"amocrm-etl exited {code} (2 bad config, 3 re-connect needed, "
                                           f"4 blocked by amoCRM): not retried; see the task log") from e
            raise


def build(desc, s):
    """Every DAG of every account the Variable lists, by dag_id."""
    dags = {}
    for account, acct in s["accounts"].items():
        for job in desc["jobs"]:
            with DAG(**jobs.dag_kwargs(desc, job, account, acct)) as dag:
                AmoEtlSubmitOperator(**jobs.operator_kwargs(desc, job, account, acct, s))
            dags[dag.dag_id] = dag
    return dags


# Read once per parse; without the Variable there are no accounts and no DAGs.
# (default given positionally: Airflow 2 names it default_var, Airflow 3 default)
_settings = jobs.settings(Variable.get(DESCRIPTION["variable"], "{}"))
globals().update(build(DESCRIPTION, _settings))
