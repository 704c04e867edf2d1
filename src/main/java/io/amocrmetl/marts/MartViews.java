package io.amocrmetl.marts;

import io.amocrmetl.config.MartsSettings;
import io.amocrmetl.lake.Lake;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * The lake and its marts by name, for readers ({@code sql}, notebooks): every lake table as a
 * view, then every mart. A mart {@code marts} materialised is read from its Delta table under
 * {@code marts.path} (as of that run); one it has not (yet) is computed from the lake when read.
 */
public final class MartViews {
    private MartViews() {}

    /** Registers the lake's tables and the marts as temporary views; returns the marts' names. */
    public static List<String> register(Lake lake, MartsSettings settings) {
        SparkSession spark = lake.spark();
        LakeViews.register(lake);
        MartBuilder builder = new MartBuilder(lake);
        List<String> names = new ArrayList<>();
        for (Mart m : MartCatalog.all(settings.mybiViews())) {
            String path = tablePath(settings, m);
            if (m.kind() == Mart.Kind.TABLE && DeltaTable.isDeltaTable(spark, path)) {
                spark.read().format("delta").load(path).createOrReplaceTempView(m.name());
            } else {
                builder.dataset(m).createOrReplaceTempView(m.name());
            }
            names.add(m.name());
        }
        return names;
    }

    /** Whether {@code query} names a mart (as a whole word), so plain lake queries skip defining them. */
    public static boolean mentioned(String query, MartsSettings settings) {
        String q = query.toLowerCase(Locale.ROOT);
        for (Mart m : MartCatalog.all(settings.mybiViews())) {
            if (Pattern.compile("(?<![a-z0-9_])" + m.name() + "(?![a-z0-9_])")
                    .matcher(q)
                    .find()) {
                return true;
            }
        }
        return false;
    }

    static String tablePath(MartsSettings settings, Mart m) {
        String root = settings.path().endsWith("/")
                ? settings.path().substring(0, settings.path().length() - 1)
                : settings.path();
        return root + "/" + m.name();
    }
}
