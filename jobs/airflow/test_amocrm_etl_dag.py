"""The amocrm-etl DAG under a minimal stub of the airflow modules (stdlib unittest only: Airflow
cannot be installed in CI). It imports the DAG as Airflow would and checks its DAGs, tasks,
schedules, pools, slots, templates, secrets and retry rules.

Run: python3 -m unittest discover -s jobs/airflow -p 'test_*.py'   (AirflowJobsTest runs it in `mvn test`)
"""

import datetime as dt
import importlib
import json
import os
import re
import sys
import types
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import amocrm_etl_jobs as jobs  # noqa: E402  (after the path)

VARIABLE = {
    "application": "/opt/amocrm-etl/amocrm-etl-0.1.0-spark.jar",
    "log4j2": "/opt/amocrm-etl/log4j2-spark-submit.properties",
    "spark_conn_id": "spark_prod",
    "accounts": {
        "acme": {"config": "/etc/amocrm-etl/acme.conf", "start_date": "2025-06-01"},
        "globex": {"config": "/etc/amocrm-etl/globex.conf", "auth": "oauth",
                   "conf": {"spark.executor.memory": "2g", "spark.driver.extraJavaOptions": "-Xss4m"}},
        "initech": {"config": "/etc/amocrm-etl/initech.conf", "secrets": "cluster"},
    },
}


class Stub:
    """The few airflow modules the DAG imports: DAG, Variable, the exceptions, SparkSubmitOperator."""

    def __init__(self, variable, sdk):
        self.variable = variable
        self.sdk = sdk
        self.current = []

    def modules(self):
        stub = self

        class AirflowException(Exception):
            pass

        class AirflowFailException(AirflowException):
            pass

        class DAG:
            def __init__(self, dag_id, **kwargs):
                self.dag_id = dag_id
                self.kwargs = kwargs
                self.tasks = []

            def __enter__(self):
                stub.current.append(self)
                return self

            def __exit__(self, *exc):
                stub.current.pop()

        class Variable:
            @staticmethod
            def get(key, default, deserialize_json=False):
                assert key == "amocrm_etl", key
                return default if stub.variable is None else json.dumps(stub.variable)

        class FakeProcess:
            def __init__(self, returncode):
                self.returncode = returncode

        class FakeHook:
            def __init__(self, returncode):
                self._submit_sp = FakeProcess(returncode) if returncode is not None else None

        class SparkSubmitOperator:
            template_fields = ("application", "conf", "name", "application_args", "env_vars", "packages",
                               "exclude_packages")
            # What the next execute() does: spark-submit's exit code, and whether the hook keeps the process.
            outcome = (0, True)

            def __init__(self, *, task_id, **kwargs):
                self.task_id = task_id
                self.kwargs = kwargs
                self._hook = None
                stub.current[-1].tasks.append(self)

            def execute(self, context):
                code, keep_process = self.outcome
                self._hook = FakeHook(code if keep_process else None)
                if code:
                    # The hook's message (SparkSubmitHook.submit).
                    raise AirflowException(f"Cannot execute: spark-submit ... Error code is: {code}.")
                return None

        mods = {}

        def module(name, **attrs):
            m = types.ModuleType(name)
            m.__dict__.update(attrs)
            mods[name] = m
            return m

        module("airflow", DAG=DAG)
        module("airflow.models", Variable=Variable)
        module("airflow.exceptions", AirflowException=AirflowException, AirflowFailException=AirflowFailException)
        module("airflow.providers")
        module("airflow.providers.apache")
        module("airflow.providers.apache.spark")
        module("airflow.providers.apache.spark.operators")
        module("airflow.providers.apache.spark.operators.spark_submit", SparkSubmitOperator=SparkSubmitOperator)
        if self.sdk:
            module("airflow.sdk", DAG=DAG, Variable=Variable)
        return mods


def import_dag(variable=VARIABLE, sdk=True):
    """Imports amocrm_etl_dag.py afresh under the stub; returns (module, stub modules)."""
    stub = Stub(variable, sdk)
    mods = stub.modules()
    for name in [n for n in sys.modules if n == "airflow" or n.startswith("airflow.")] + ["amocrm_etl_dag"]:
        sys.modules.pop(name, None)
    saved = dict(sys.modules)
    sys.modules.update(mods)
    try:
        return importlib.import_module("amocrm_etl_dag"), mods
    finally:
        for name in list(sys.modules):
            if name not in saved and name != "amocrm_etl_dag":
                sys.modules.pop(name, None)
        for name in mods:
            sys.modules.pop(name, None)


def dags(module):
    return {k: v for k, v in vars(module).items() if hasattr(v, "dag_id") and hasattr(v, "tasks")}


class DagTest(unittest.TestCase):
    def setUp(self):
        self.module, self.mods = import_dag()
        self.dags = dags(self.module)
        self.desc = jobs.load()

    def task(self, account, job):
        dag = self.dags[f"amocrm_etl_{account}_{job}"]
        self.assertEqual(1, len(dag.tasks), dag.dag_id)
        return dag.tasks[0]

    def test_one_dag_per_account_and_job_with_its_schedule(self):
        self.assertEqual({f"amocrm_etl_{a}_{j}" for a in VARIABLE["accounts"] for j in ("ingest", "reconcile", "retention")},
                         set(self.dags))
        for account in VARIABLE["accounts"]:
            self.assertEqual("@hourly", self.dags[f"amocrm_etl_{account}_ingest"].kwargs["schedule"])
            self.assertEqual("@daily", self.dags[f"amocrm_etl_{account}_reconcile"].kwargs["schedule"])
            self.assertEqual("@daily", self.dags[f"amocrm_etl_{account}_retention"].kwargs["schedule"])
            for job in ("ingest", "reconcile", "retention"):
                dag = self.dags[f"amocrm_etl_{account}_{job}"]
                self.assertEqual(1, dag.kwargs["max_active_runs"], dag.dag_id)
                self.assertIsNotNone(dag.kwargs["start_date"].tzinfo, "an aware start date")

    def test_each_task_is_a_spark_submit_of_the_jar(self):
        spark_submit = self.mods["airflow.providers.apache.spark.operators.spark_submit"].SparkSubmitOperator
        for account, acct in VARIABLE["accounts"].items():
            for job in ("ingest", "reconcile", "retention"):
                t = self.task(account, job)
                self.assertIsInstance(t, spark_submit)
                self.assertEqual(job, t.task_id)
                k = t.kwargs
                self.assertEqual(VARIABLE["application"], k["application"])
                self.assertEqual("io.amocrmetl.cli.EtlMain", k["java_class"])
                self.assertEqual("io.delta:delta-spark_2.13:4.4.0", k["packages"])
                self.assertEqual("spark_prod", k["conn_id"])
                self.assertEqual("false", k["conf"]["spark.speculation"], "the reader refuses speculation")
                self.assertEqual(job, k["application_args"][0], "the job's command comes first")
                i = k["application_args"].index("--config")
                self.assertEqual(acct["config"], k["application_args"][i + 1])
        self.assertEqual("2g", self.task("globex", "ingest").kwargs["conf"]["spark.executor.memory"],
                         "an account's own Spark conf is added")

    def test_a_pool_per_account_one_job_at_a_time(self):
        pools = {}
        for account in VARIABLE["accounts"]:
            for job in ("ingest", "reconcile", "retention"):
                k = self.task(account, job).kwargs
                self.assertEqual(1, k["pool_slots"])
                pools.setdefault(account, set()).add(k["pool"])
        for account, p in pools.items():
            self.assertEqual({f"amocrm_{account}"}, p, "every job of an account in its one pool")
        self.assertEqual(len(VARIABLE["accounts"]), len(set().union(*pools.values())), "accounts do not share pools")

    def test_no_run_outlasts_its_slot(self):
        hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)
        for account in VARIABLE["accounts"]:
            ingest = self.task(account, "ingest").kwargs
            args = ingest["application_args"]
            minutes = int(args[args.index("--max-minutes") + 1])
            self.assertLessEqual(ingest["execution_timeout"], hour, "an hourly run ends within its hour")
            self.assertLess(dt.timedelta(minutes=minutes), ingest["execution_timeout"],
                            "--max-minutes stops the job before the timeout kills it")
            reconcile = self.task(account, "reconcile").kwargs
            self.assertIn("--max-requests", reconcile["application_args"])
            for job in ("reconcile", "retention"):
                self.assertLessEqual(self.task(account, job).kwargs["execution_timeout"], day)

    def test_catch_up_runs_use_their_data_interval(self):
        args = self.task("acme", "reconcile").kwargs["application_args"]
        self.assertEqual("{{ data_interval_start | ts }}", args[args.index("--from") + 1])
        self.assertEqual("{{ data_interval_end | ts }}", args[args.index("--to") + 1])
        spark_submit = self.mods["airflow.providers.apache.spark.operators.spark_submit"].SparkSubmitOperator
        self.assertIn("application_args", spark_submit.template_fields, "Airflow renders the dates")
        self.assertTrue(self.dags["amocrm_etl_acme_reconcile"].kwargs["catchup"], "missed days are checked")
        self.assertEqual(dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc),
                         self.dags["amocrm_etl_acme_reconcile"].kwargs["start_date"])
        self.assertFalse(self.dags["amocrm_etl_globex_reconcile"].kwargs["catchup"],
                         "no catch-up without a start date the lake covers")
        for account in VARIABLE["accounts"]:
            self.assertFalse(self.dags[f"amocrm_etl_{account}_ingest"].kwargs["catchup"],
                             "ingest catches up from its watermark, not by replaying hours")

    def test_retries_only_on_exit_codes_that_may_be_retried(self):
        fail = self.mods["airflow.exceptions"].AirflowFailException
        error = self.mods["airflow.exceptions"].AirflowException
        for account in VARIABLE["accounts"]:
            for job in ("ingest", "reconcile", "retention"):
                t = self.task(account, job)
                self.assertGreater(t.kwargs["retries"], 0, f"{account} {job} retries")
                self.assertGreater(t.kwargs["retry_delay"], dt.timedelta(0))
                for keep_process in (True, False):  # the hook's process, or only its message
                    for code in (2, 3, 4):
                        t.outcome = (code, keep_process)
                        with self.assertRaises(fail, msg=f"exit {code} is not retried"):
                            t.execute({})
                    for code in (1, 5, 137, 143):
                        t.outcome = (code, keep_process)
                        with self.assertRaises(error) as raised:
                            t.execute({})
                        self.assertNotIsInstance(raised.exception, fail, f"exit {code} is retried")
                    for code in (0, 6):
                        t.outcome = (code, keep_process)
                        self.assertIsNone(t.execute({}), f"exit {code} succeeds (6: the next run resumes)")

    def test_failures_after_a_clean_submit_are_retried(self):
        t = self.task("acme", "ingest")
        error = self.mods["airflow.exceptions"].AirflowException
        fail = self.mods["airflow.exceptions"].AirflowFailException
        original = type(t).__mro__[1].execute  # the stub SparkSubmitOperator's

        def submitted_then_failed(op, context):
            original(op, context)  # spark-submit exits 0 (cluster mode: the driver was submitted) ...
            raise error("Driver driver-20250331-0001 exited with status FAILED")  # ... and the driver failed
        type(t).__mro__[1].execute = submitted_then_failed
        try:
            t.outcome = (0, True)
            with self.assertRaises(error) as raised:
                t.execute({})
            self.assertNotIsInstance(raised.exception, fail)
            self.assertIn("FAILED", str(raised.exception), "the original error, for Airflow's retries")
        finally:
            type(t).__mro__[1].execute = original

    def test_kubernetes_cluster_mode_exit_code_counts(self):
        e = Exception("Cannot execute: x. Error code is: 1. Kubernetes spark exit code is: 4")
        self.assertEqual(4, jobs.returncode(e, None))
        self.assertEqual("fail", jobs.decision(self.desc, 4))

    def test_secrets_come_from_the_connection_only_when_the_task_runs(self):
        acme = self.task("acme", "ingest").kwargs
        self.assertEqual({"AMOCRM_LONG_LIVED_TOKEN": "{{ conn.amocrm_acme.password }}"}, acme["env_vars"])
        globex = self.task("globex", "ingest").kwargs
        self.assertEqual({"AMOCRM_CLIENT_ID": "{{ conn.amocrm_globex.login }}",
                          "AMOCRM_CLIENT_SECRET": "{{ conn.amocrm_globex.password }}"}, globex["env_vars"])
        self.assertIsNone(self.task("initech", "ingest").kwargs["env_vars"],
                          "secrets = cluster: the cluster's secrets carry them, nothing on the command line")
        for dag in self.dags.values():
            k = dag.tasks[0].kwargs
            line = json.dumps([k["application_args"], k["conf"], k["name"], k["application"]])
            self.assertNotIn("conn.", line, "no secret on the command line")
        pattern = re.compile(r"(token|secret)\s*[=:]\s*['\"][^'\"{]", re.I)
        for name in ("amocrm_etl_dag.py", "amocrm_etl_jobs.py", "amocrm_etl_jobs.json"):
            with open(os.path.join(HERE, name), encoding="utf-8") as f:
                self.assertIsNone(pattern.search(f.read()), f"a secret literal in {name}")

    def test_runs_log_through_the_quiet_log4j2_file(self):
        flag = "-Dlog4j2.configurationFile=/opt/amocrm-etl/log4j2-spark-submit.properties,log4j2-spark-submit.properties"
        for account in VARIABLE["accounts"]:
            for job in ("ingest", "reconcile", "retention"):
                conf = self.task(account, job).kwargs["conf"]
                self.assertEqual(VARIABLE["log4j2"], conf["spark.files"], "shipped to the cluster (YARN containers)")
                self.assertTrue(conf["spark.driver.extraJavaOptions"].startswith(flag), conf)
                self.assertEqual(flag, conf["spark.executor.extraJavaOptions"])
        self.assertEqual(flag + " -Xss4m", self.task("globex", "ingest").kwargs["conf"]["spark.driver.extraJavaOptions"],
                         "an account's JVM options are added, the logging flag stays")
        s = jobs.settings({k: v for k, v in VARIABLE.items() if k != "log4j2"})
        conf = jobs.operator_kwargs(self.desc, "ingest", "acme", s["accounts"]["acme"], s)["conf"]
        self.assertEqual({"spark.speculation": "false"}, conf, "without the Variable's log4j2: Spark's own logging")
        for bad in ("log4j2-spark-submit.properties", "/a/x.properties,/b/y.properties"):
            with self.assertRaisesRegex(ValueError, "'log4j2'"):
                jobs.settings(dict(VARIABLE, log4j2=bad))

    def test_the_command_line_the_hook_builds(self):
        k = self.task("acme", "reconcile").kwargs
        when = dt.datetime(2025, 3, 31, tzinfo=dt.timezone.utc)
        argv = jobs.spark_submit_argv(k, "yarn", "client", {"data_interval_start": when,
                                                            "data_interval_end": when + dt.timedelta(days=1)})
        excluded = ",".join(self.desc["exclude_packages"])
        log4j2 = "-Dlog4j2.configurationFile=/opt/amocrm-etl/log4j2-spark-submit.properties,log4j2-spark-submit.properties"
        self.assertEqual(["spark-submit", "--master", "yarn", "--conf", "spark.speculation=false",
                          "--conf", "spark.files=/opt/amocrm-etl/log4j2-spark-submit.properties",
                          "--conf", "spark.driver.extraJavaOptions=" + log4j2,
                          "--conf", "spark.executor.extraJavaOptions=" + log4j2,
                          "--packages", "io.delta:delta-spark_2.13:4.4.0", "--exclude-packages", excluded,
                          "--name", "amocrm-etl acme reconcile", "--class", "io.amocrmetl.cli.EtlMain",
                          "--deploy-mode", "client", VARIABLE["application"],
                          "reconcile", "--config", "/etc/amocrm-etl/acme.conf",
                          "--from", "2025-03-31T00:00:00+00:00", "--to", "2025-04-01T00:00:00+00:00",
                          "--granularity", "day", "--max-requests", "12000"], argv)


class ImportTest(unittest.TestCase):
    def test_airflow_2_import_paths(self):
        module, _ = import_dag(sdk=False)
        self.assertEqual(9, len(dags(module)))

    def test_without_the_variable_there_are_no_dags(self):
        module, _ = import_dag(variable=None)
        self.assertEqual({}, dags(module))

    def test_a_wrong_variable_names_the_entry(self):
        for bad, where in (({"application": "x.jar", "accounts": {"acme": {}}}, "accounts.acme.config"),
                           ({"accounts": {"acme": {"config": "a.conf"}}}, "'application'"),
                           ({"application": "x.jar", "accounts": {"a-b": {"config": "a.conf"}}}, "'a-b'"),
                           ({"application": "x.jar", "accounts": {"acme": {"config": "a.conf", "auth": "basic"}}},
                            "accounts.acme.auth")):
            with self.assertRaises(ValueError) as raised:
                jobs.settings(json.dumps(bad))
            self.assertIn(where, str(raised.exception))


if __name__ == "__main__":
    unittest.main()
