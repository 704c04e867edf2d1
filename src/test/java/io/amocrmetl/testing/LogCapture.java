package io.amocrmetl.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Captures, while open, everything a test run may print: every Log4j line of any logger at DEBUG
 * and up (configured loggers such as {@code io.amocrmetl}, which the test config keeps at INFO,
 * are lowered to DEBUG too), java.util.logging records (OkHttp logs there), and whatever is
 * written to {@code System.err} and {@code System.out}. For "no secret in any output" tests. Each
 * log line keeps its {@code System.nanoTime()}, the clock of the sandbox's request log.
 */
public final class LogCapture implements AutoCloseable {
    /** One captured log record. */
    public record Line(long nanos, String level, String logger, String thread, String message) {}

    private final List<Line> lines = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final LoggerContext ctx;
    private final AbstractAppender appender;
    private final Map<LoggerConfig, Level> previousLevels = new LinkedHashMap<>();
    private final java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    private final java.util.logging.Level julPrevious;
    private final java.util.logging.Handler julHandler;
    private final PrintStream originalErr = System.err;
    private final PrintStream originalOut = System.out;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public LogCapture() {
        ctx = LoggerContext.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        PatternLayout layout = PatternLayout.newBuilder()
                .withConfiguration(cfg)
                .withPattern("%p %c [%t] %m %ex%n")
                .build();
        appender = new AbstractAppender("capture-" + System.nanoTime(), null, layout, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent e) {
                long now = System.nanoTime();
                String rendered = layout.toSerializable(e);
                synchronized (lines) {
                    lines.add(new Line(
                            now,
                            e.getLevel().name(),
                            e.getLoggerName(),
                            e.getThreadName(),
                            e.getMessage().getFormattedMessage()));
                    text.append(rendered);
                }
            }
        };
        appender.start();
        cfg.addAppender(appender);
        for (LoggerConfig lc : cfg.getLoggers().values()) {
            previousLevels.put(lc, lc.getLevel());
            lc.setLevel(Level.DEBUG);
        }
        LoggerConfig root = cfg.getRootLogger();
        previousLevels.putIfAbsent(root, root.getLevel());
        root.setLevel(Level.DEBUG);
        root.addAppender(appender, Level.DEBUG, null);
        ctx.updateLoggers();

        julPrevious = julRoot.getLevel();
        julHandler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                long now = System.nanoTime();
                String msg = r.getMessage();
                if (r.getParameters() != null && msg != null) {
                    msg = java.text.MessageFormat.format(msg, r.getParameters());
                }
                String thrown = r.getThrown() == null ? "" : " " + stackTrace(r.getThrown());
                synchronized (lines) {
                    lines.add(new Line(
                            now,
                            r.getLevel().getName(),
                            r.getLoggerName(),
                            Thread.currentThread().getName(),
                            msg));
                    text.append(r.getLevel())
                            .append(' ')
                            .append(r.getLoggerName())
                            .append(" (jul) ")
                            .append(msg)
                            .append(thrown)
                            .append('\n');
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        julHandler.setLevel(java.util.logging.Level.ALL);
        julRoot.addHandler(julHandler);
        julRoot.setLevel(java.util.logging.Level.FINE);

        System.setErr(new PrintStream(new Tee(originalErr, err), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new Tee(originalOut, out), true, StandardCharsets.UTF_8));
    }

    /** Everything captured: log lines (Log4j and java.util.logging), then stderr, then stdout. */
    public String text() {
        String logs;
        synchronized (lines) {
            logs = text.toString();
        }
        return logs + "\n[stderr]\n" + stderr() + "\n[stdout]\n" + stdout();
    }

    /** The log records so far, in the order they were logged. */
    public List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** What was written to System.err while open. */
    public String stderr() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    public String stdout() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        System.setErr(originalErr);
        System.setOut(originalOut);
        julRoot.removeHandler(julHandler);
        julRoot.setLevel(julPrevious);
        Configuration cfg = ctx.getConfiguration();
        cfg.getRootLogger().removeAppender(appender.getName());
        previousLevels.forEach(LoggerConfig::setLevel);
        ctx.updateLoggers();
        appender.stop();
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    /** Writes to the original stream and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream original;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream original, ByteArrayOutputStream copy) {
            this.original = original;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            synchronized (copy) {
                copy.write(b);
            }
            try {
                original.write(b);
            } catch (java.io.IOException e) {
                // the copy is what matters here
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (copy) {
                copy.write(b, off, len);
            }
            try {
                original.write(b, off, len);
            } catch (java.io.IOException e) {
                // the copy is what matters here
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            original.flush();
        }
    }
}
