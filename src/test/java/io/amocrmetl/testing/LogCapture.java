package io.amocrmetl.testing;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Captures every log line (any logger, DEBUG and up) while open: for "no secret in the logs" tests. */
public final class LogCapture implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final WriterAppender appender;
    private final LoggerContext ctx;
    private final Level previous;

    public LogCapture() {
        ctx = LoggerContext.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        appender = WriterAppender.newBuilder().setName("capture-" + System.nanoTime()).setTarget(out)
                .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m %ex%n").build()).build();
        appender.start();
        cfg.addAppender(appender);
        previous = cfg.getRootLogger().getLevel();
        cfg.getRootLogger().addAppender(appender, Level.DEBUG, null);
        cfg.getRootLogger().setLevel(Level.DEBUG);
        ctx.updateLoggers();
    }

    public String text() {
        synchronized (out) {
            return out.toString();
        }
    }

    @Override
    public void close() {
        Configuration cfg = ctx.getConfiguration();
        cfg.getRootLogger().removeAppender(appender.getName());
        cfg.getRootLogger().setLevel(previous);
        ctx.updateLoggers();
        appender.stop();
    }
}
