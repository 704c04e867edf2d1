package io.amocrmetl.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * jobs/airflow/amocrm_etl_jobs.json, read as the Airflow DAG reads it (amocrm_etl_jobs.py): the
 * {@code spark-submit} command line of one job for one account, in the order SparkSubmitHook builds
 * it, with a run's data interval rendered as Airflow's {@code ds} and {@code ts} filters do.
 */
final class AirflowJobs {
    static final Path DIR = Path.of("jobs/airflow");
    private static final Pattern TEMPLATE =
            Pattern.compile("\\{\\{\\s*(data_interval_start|data_interval_end)\\s*\\|\\s*(ds|ts)\\s*}}");
    /** Python's isoformat() of an aware UTC datetime. */
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private final JsonNode desc;

    /** One account of the Airflow Variable: its config file and extra Spark conf. */
    record Account(String name, String config, Map<String, String> conf) {}

    private AirflowJobs(JsonNode desc) {
        this.desc = desc;
    }

    static AirflowJobs load() throws IOException {
        return new AirflowJobs(
                new ObjectMapper().readTree(DIR.resolve("amocrm_etl_jobs.json").toFile()));
    }

    List<String> jobs() {
        List<String> out = new ArrayList<>();
        desc.path("jobs").fieldNames().forEachRemaining(out::add);
        return out;
    }

    JsonNode job(String job) {
        return desc.path("jobs").path(job);
    }

    String packages() {
        return desc.path("packages").asText();
    }

    List<String> excludedPackages() {
        List<String> out = new ArrayList<>();
        desc.path("exclude_packages").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The environment variables the task gives spark-submit: variable to the Connection's field. */
    Map<String, String> secretsEnv(String auth) {
        Map<String, String> out = new LinkedHashMap<>();
        desc.path("secrets_env")
                .path(auth)
                .properties()
                .forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** The job's application arguments (the product's command line) for an account, templates left in. */
    List<String> args(String job, Account account) {
        List<String> out = new ArrayList<>();
        job(job).path("args").forEach(a -> out.add(fill(a.asText(), job, account)));
        return out;
    }

    /**
     * The command the task runs for a run over [start, end): spark-submit, the master, the conf
     * (the description's, then the account's), the packages, name, class, deploy mode, the jar and
     * the job's arguments.
     */
    List<String> argv(
            String job,
            Account account,
            String application,
            String master,
            String deployMode,
            Instant start,
            Instant end) {
        List<String> argv = new ArrayList<>(List.of("spark-submit", "--master", master));
        Map<String, String> conf = new LinkedHashMap<>();
        desc.path("conf")
                .properties()
                .forEach(e -> conf.put(e.getKey(), e.getValue().asText()));
        conf.putAll(account.conf());
        conf.forEach((k, v) -> argv.addAll(List.of("--conf", k + "=" + v)));
        argv.addAll(List.of("--packages", packages()));
        if (!excludedPackages().isEmpty()) {
            argv.addAll(List.of("--exclude-packages", String.join(",", excludedPackages())));
        }
        argv.addAll(List.of(
                "--name",
                fill(desc.path("name").asText(), job, account),
                "--class",
                desc.path("main_class").asText()));
        if (deployMode != null) {
            argv.addAll(List.of("--deploy-mode", deployMode));
        }
        argv.add(application);
        for (String a : args(job, account)) {
            argv.add(render(a, start, end));
        }
        return argv;
    }

    private static String fill(String text, String job, Account account) {
        return text.replace("${account}", account.name()).replace("${job}", job).replace("${config}", account.config());
    }

    static String render(String text, Instant start, Instant end) {
        Matcher m = TEMPLATE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Instant when = m.group(1).equals("data_interval_start") ? start : end;
            String value = m.group(2).equals("ds")
                    ? when.atZone(ZoneOffset.UTC).toLocalDate().toString()
                    : TS.format(when.atOffset(ZoneOffset.UTC));
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
