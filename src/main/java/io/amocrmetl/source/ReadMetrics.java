package io.amocrmetl.source;

import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/**
 * The reader's metrics, summed over partitions and shown on the scan node (SQL UI, and the
 * executed plan's metrics): requests made, rows, and schema drift by kind (docs/lakehouse.md).
 * Spark instantiates each class by name, hence the public no-arg classes.
 */
public final class ReadMetrics {
    static final String REQUESTS = "amocrmRequests";
    static final String ROWS = "amocrmRows";
    static final String NEW_FIELDS = "amocrmDriftNewFields";
    static final String ODD_VALUES = "amocrmDriftOddValues";
    static final String UNKNOWN_FIELD_TYPES = "amocrmDriftUnknownFieldTypes";
    static final String REREADS = "amocrmRereads";
    static final String RETRIES = "amocrmRetries";
    static final String TOO_MANY = "amocrmTooManyRequests";
    static final String LIMITER_WAIT_MS = "amocrmLimiterWaitMs";

    private ReadMetrics() {}

    static CustomMetric[] supported() {
        return new CustomMetric[] {
            new Requests(),
            new Rows(),
            new NewFields(),
            new OddValues(),
            new UnknownFieldTypes(),
            new Rereads(),
            new Retries(),
            new TooMany(),
            new LimiterWait()
        };
    }

    static CustomTaskMetric task(String name, long value) {
        return new CustomTaskMetric() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long value() {
                return value;
            }
        };
    }

    public static final class Requests extends CustomSumMetric {
        @Override
        public String name() {
            return REQUESTS;
        }

        @Override
        public String description() {
            return "amoCRM requests";
        }
    }

    public static final class Rows extends CustomSumMetric {
        @Override
        public String name() {
            return ROWS;
        }

        @Override
        public String description() {
            return "amoCRM rows read";
        }
    }

    public static final class NewFields extends CustomSumMetric {
        @Override
        public String name() {
            return NEW_FIELDS;
        }

        @Override
        public String description() {
            return "drift: new fields";
        }
    }

    public static final class OddValues extends CustomSumMetric {
        @Override
        public String name() {
            return ODD_VALUES;
        }

        @Override
        public String description() {
            return "drift: odd values";
        }
    }

    public static final class UnknownFieldTypes extends CustomSumMetric {
        @Override
        public String name() {
            return UNKNOWN_FIELD_TYPES;
        }

        @Override
        public String description() {
            return "drift: unknown custom-field types";
        }
    }

    public static final class Rereads extends CustomSumMetric {
        @Override
        public String name() {
            return REREADS;
        }

        @Override
        public String description() {
            return "windows read again";
        }
    }

    public static final class Retries extends CustomSumMetric {
        @Override
        public String name() {
            return RETRIES;
        }

        @Override
        public String description() {
            return "amoCRM retries";
        }
    }

    public static final class TooMany extends CustomSumMetric {
        @Override
        public String name() {
            return TOO_MANY;
        }

        @Override
        public String description() {
            return "amoCRM 429 answers";
        }
    }

    public static final class LimiterWait extends CustomSumMetric {
        @Override
        public String name() {
            return LIMITER_WAIT_MS;
        }

        @Override
        public String description() {
            return "rate limiter wait (ms)";
        }
    }
}
