"""The amocrm-etl jobs for Airflow, read from amocrm_etl_jobs.json (Python stdlib only).

amocrm_etl_dag.py builds its DAGs from these functions; the Java tests read the same JSON file and
check the command lines against this module's rendering (``python3 amocrm_etl_jobs.py argv ...``),
so what the DAG runs is tested without Airflow, which CI cannot install.

Per deployment, an Airflow Variable (default name ``amocrm_etl``, JSON) says where things are::

    {"application": "/opt/amocrm-etl/amocrm-etl-0.1.0-spark.jar",
     "log4j2": "/opt/amocrm-etl/log4j2-spark-submit.properties",
     "spark_conn_id": "spark_default",
     "accounts": {"acme": {"config": "/etc/amocrm-etl/acme.conf", "auth": "long-lived-token",
                           "start_date": "2025-06-01", "secrets": "env", "conf": {}}}}

No secret sits in the Variable, the JSON file or the DAG: the account's token (or OAuth client
secret) is the password of the Airflow Connection ``amocrm_<account>``, handed to spark-submit as
an environment variable through an Airflow template, so it is read only when the task runs.

``log4j2`` (optional, an absolute path on the Airflow worker) is conf/log4j2-spark-submit.properties:
with it every run logs the product at INFO and Spark at WARN (the description's ``log4j2_conf``).
"""

import argparse
import datetime as dt
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DESCRIPTION = os.path.join(HERE, "amocrm_etl_jobs.json")
# Account names go into Jinja (conn.amocrm_<account>.password), DAG ids and pool names: no "-" or ".".
ACCOUNT_NAME = re.compile(r"^[A-Za-z0-9_]+$")
AUTH_KINDS = ("long-lived-token", "oauth")
# The Airflow templates the description may use, rendered here the way Airflow's filters do
# (ds: YYYY-MM-DD, ts: isoformat) so tests can show the command line a run gets.
TEMPLATE = re.compile(r"\{\{\s*(data_interval_start|data_interval_end)\s*\|\s*(ds|ts)\s*\}\}")


def load(path=DESCRIPTION):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def settings(value):
    """The deployment Variable (a JSON string or dict), checked: a wrong entry names itself."""
    s = json.loads(value) if isinstance(value, str) else dict(value or {})
    if not s.get("accounts"):
        return {"application": s.get("application"), "spark_conn_id": s.get("spark_conn_id", "spark_default"),
                "log4j2": s.get("log4j2"), "accounts": {}}
    if not s.get("application"):
        raise ValueError("Airflow Variable: 'application' (the amocrm-etl spark jar) is missing")
    if s.get("log4j2") and (not os.path.isabs(s["log4j2"]) or "," in s["log4j2"]):
        raise ValueError("Airflow Variable: 'log4j2' must be the absolute path of log4j2-spark-submit.properties "
                         "on the Airflow worker, without commas")
    for name, acct in s["accounts"].items():
        if not ACCOUNT_NAME.match(name):
            raise ValueError(f"Airflow Variable: account name {name!r} must be letters, digits or '_'")
        if not acct.get("config"):
            raise ValueError(f"Airflow Variable: accounts.{name}.config (the account's HOCON file) is missing")
        if acct.get("auth", "long-lived-token") not in AUTH_KINDS:
            raise ValueError(f"Airflow Variable: accounts.{name}.auth must be one of {AUTH_KINDS}")
        if acct.get("secrets", "env") not in ("env", "cluster"):
            raise ValueError(f"Airflow Variable: accounts.{name}.secrets must be 'env' or 'cluster'")
        if acct.get("start_date"):
            dt.date.fromisoformat(acct["start_date"])
    s.setdefault("spark_conn_id", "spark_default")
    return s


def fill(text, account, job, acct):
    """Fills the description's per-account placeholders (${account}, ${job}, ${config})."""
    return (text.replace("${account}", account).replace("${job}", job)
            .replace("${config}", acct.get("config", "")))


def joined(key, ours, theirs):
    """An account's Spark conf value over the description's: JVM options and shipped files are
    added to ours (so the logging flag stays), anything else replaces it."""
    if ours and key.endswith("extraJavaOptions"):
        return f"{ours} {theirs}"
    if ours and key == "spark.files":
        return f"{ours},{theirs}"
    return theirs


def operator_kwargs(desc, job, account, acct, s):
    """SparkSubmitOperator's arguments for one job of one account (Airflow templates left in)."""
    spec = desc["jobs"][job]
    conf = dict(desc.get("conf", {}))
    if s.get("log4j2"):
        for k, v in desc.get("log4j2_conf", {}).items():
            conf[k] = v.replace("${log4j2}", s["log4j2"]).replace("${log4j2_name}", os.path.basename(s["log4j2"]))
    for k, v in acct.get("conf", {}).items():
        conf[k] = joined(k, conf.get(k), v)
    env = None
    if acct.get("secrets", "env") == "env":
        # Only in the spark-submit process's environment: in client mode the driver is that
        # process. (The hook would put them on the command line for YARN and Kubernetes; there
        # the cluster's own secrets carry them: secrets = "cluster", see docs/airflow.md.)
        conn = fill(desc["connection"], account, job, acct)
        env = {var: "{{ conn.%s.%s }}" % (conn, field)
               for var, field in desc["secrets_env"][acct.get("auth", "long-lived-token")].items()}
    return {
        "task_id": job,
        "application": s["application"],
        "java_class": desc["main_class"],
        "packages": desc["packages"],
        "exclude_packages": ",".join(desc.get("exclude_packages", [])) or None,
        "conf": conf,
        "conn_id": s.get("spark_conn_id", "spark_default"),
        "name": fill(desc["name"], account, job, acct),
        "application_args": [fill(a, account, job, acct) for a in spec["args"]],
        "env_vars": env,
        "pool": fill(desc["pool"], account, job, acct),
        "pool_slots": 1,
        "retries": spec["retries"],
        "retry_delay": dt.timedelta(minutes=spec["retry_delay_minutes"]),
        "execution_timeout": dt.timedelta(minutes=spec["slot_minutes"]),
    }


def dag_kwargs(desc, job, account, acct):
    """The DAG of one job of one account: its schedule, and catch-up only from the account's start date."""
    spec = desc["jobs"][job]
    start = acct.get("start_date")
    start_date = (dt.datetime.combine(dt.date.fromisoformat(start), dt.time(), dt.timezone.utc) if start
                  else dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc))
    return {
        "dag_id": f"amocrm_etl_{account}_{job}",
        "schedule": spec["schedule"],
        "start_date": start_date,
        # Catch-up replays missed intervals (reconcile checks each missed day); it needs a start
        # date the lake covers, so it is off for an account without one.
        "catchup": bool(spec.get("catchup")) and bool(start),
        "max_active_runs": 1,
        "tags": ["amocrm-etl", account],
    }


def returncode(error, hook=None):
    """The spark-submit exit code behind a failed task: the process's, else the hook's message."""
    proc = getattr(hook, "_submit_sp", None) if hook is not None else None
    code = getattr(proc, "returncode", None)
    text = str(error)
    k8s = re.search(r"Kubernetes spark exit code is: (\d+)", text)
    if k8s:
        return int(k8s.group(1))  # cluster mode on Kubernetes: the driver container's code
    if isinstance(code, int):
        return code
    m = re.search(r"Error code is: (-?\d+)", text)
    return int(m.group(1)) if m else None


def decision(desc, code):
    """What a task does with an exit code: 'ok', 'partial' (ok: the next run resumes),
    'fail' (no retry: bad config, auth, or blocked by amoCRM) or 'retry'."""
    if code == 0:
        return "ok"
    if code in desc["exit_codes"]["partial"]:
        return "partial"
    if code in desc["exit_codes"]["no_retry"]:
        return "fail"
    return "retry"


def render(value, context):
    """Renders the description's Airflow templates for a run's data interval (aware datetimes)."""
    def one(m):
        when = context[m.group(1)]
        return when.strftime("%Y-%m-%d") if m.group(2) == "ds" else when.isoformat()
    return TEMPLATE.sub(one, value)


def spark_submit_argv(kwargs, master, deploy_mode=None, context=None):
    """The command SparkSubmitHook builds from these arguments (its order, for the options the DAG
    sets), with the run's templates rendered. Environment variables are not on it."""
    argv = ["spark-submit", "--master", master]
    for k, v in kwargs["conf"].items():
        argv += ["--conf", f"{k}={v}"]
    if kwargs.get("packages"):
        argv += ["--packages", kwargs["packages"]]
    if kwargs.get("exclude_packages"):
        argv += ["--exclude-packages", kwargs["exclude_packages"]]
    argv += ["--name", kwargs["name"], "--class", kwargs["java_class"]]
    if deploy_mode:
        argv += ["--deploy-mode", deploy_mode]
    argv.append(kwargs["application"])
    argv += [render(a, context) if context else a for a in kwargs["application_args"]]
    return argv


def main(args=None):
    p = argparse.ArgumentParser(description="Print the spark-submit command an amocrm-etl DAG task runs (JSON).")
    sub = p.add_subparsers(dest="what", required=True)
    a = sub.add_parser("argv")
    a.add_argument("--settings", required=True, help="a file holding the Airflow Variable's JSON")
    a.add_argument("--account", required=True)
    a.add_argument("--job", required=True)
    a.add_argument("--master", required=True)
    a.add_argument("--deploy-mode")
    a.add_argument("--data-interval-start", required=True, help="ISO instant, e.g. 2025-01-01T00:00:00+00:00")
    a.add_argument("--data-interval-end", required=True)
    a.add_argument("--description", default=DESCRIPTION)
    o = p.parse_args(args)
    desc = load(o.description)
    with open(o.settings, encoding="utf-8") as f:
        s = settings(f.read())
    kwargs = operator_kwargs(desc, o.job, o.account, s["accounts"][o.account], s)
    context = {"data_interval_start": dt.datetime.fromisoformat(o.data_interval_start),
               "data_interval_end": dt.datetime.fromisoformat(o.data_interval_end)}
    json.dump({"argv": spark_submit_argv(kwargs, o.master, o.deploy_mode, context), "env": kwargs["env_vars"],
               "pool": kwargs["pool"]}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
