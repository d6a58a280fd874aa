package dev.workbench.spark;

import dev.workbench.recipe.WorkbenchException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where Spark runs: embedded {@code local[*]} unless {@code --master} names a cluster, plus any {@code spark.*}
 * setting with {@code --conf k=v} (as spark-submit takes them). Under spark-submit the session's master and settings
 * come from spark-submit, and these options only add to them.
 */
public final class SparkOptions {

    /** The default: every core of this machine, in this JVM. */
    public static final String LOCAL = "local[*]";

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N], spark://HOST:7077, yarn, k8s://... (default: local[*], or what "
                    + "spark-submit set)")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "a Spark setting, repeatable, e.g. --conf spark.task.cpus=2 --conf spark.executor.memory=8g")
    List<String> conf = new ArrayList<>();

    public SparkOptions() {
    }

    /** For code and tests: a master and settings. */
    public SparkOptions(String master, Map<String, String> settings) {
        this.master = master;
        settings.forEach((k, v) -> conf.add(k + "=" + v));
    }

    /** The {@code --conf} settings, checked: each is KEY=VALUE, each key once. */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String setting : conf) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                problems.add("--conf " + setting + ": expected KEY=VALUE (e.g. spark.task.cpus=2)");
            } else if (settings.put(setting.substring(0, eq), setting.substring(eq + 1)) != null) {
                problems.add("--conf names " + setting.substring(0, eq) + " twice");
            }
        }
        if (!problems.isEmpty()) {
            throw WorkbenchException.invalid(String.join("\n", problems));
        }
        return settings;
    }

    /**
     * The session: {@code --master}, else spark-submit's ({@code spark.master} is then set), else {@link #LOCAL}.
     * The caller stops it.
     */
    public SparkSession session(String appName) {
        Map<String, String> settings = settings();
        SparkSession.Builder builder = SparkSession.builder().appName(appName)
                // the UI's port search and Jetty are of no use to a command that ends with its job
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false");
        if (master != null) {
            builder.master(master);
        } else if (System.getProperty("spark.master") == null) {
            builder.master(LOCAL);
        }
        settings.forEach(builder::config);
        return builder.getOrCreate();
    }
}
