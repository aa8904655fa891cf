package io.binfleet.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * binfleet's logging, set up in code: reading an XML configuration costs a command 0.3–0.4 s of its start (600 classes
 * loaded), more than the rest of {@code binfleet --help}. Logs go to stderr as text ({@code HH:mm:ss.SSS LEVEL logger -
 * message}), or as one JSON object per line (MDC jobId, piece, worker included) with {@code BINFLEET_LOG_FORMAT=json};
 * {@code BINFLEET_LOG_LEVEL} sets binfleet's own level (default INFO); Kafka's own logs show errors only.
 *
 * <p>A configuration given the usual logback ways wins: {@code -Dlogback.configurationFile}, or a {@code logback.xml}
 * or {@code logback-test.xml} on the class path (the tests' and the benchmarks' own).
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        ClassLoader loader = LogSetup.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(
                context,
                "json".equalsIgnoreCase(System.getenv("BINFLEET_LOG_FORMAT")),
                System.getenv("BINFLEET_LOG_LEVEL"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets up {@code context}: text or JSON lines on stderr, binfleet's own logs at {@code level} (INFO if null). */
    static void apply(LoggerContext context, boolean json, String level) {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder(context, json));
        appender.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(appender);
        context.getLogger("io.binfleet").setLevel(Level.toLevel(level, Level.INFO));
        for (String quiet : new String[] {"org.apache.kafka", "kafka", "state.change.logger"}) {
            context.getLogger(quiet).setLevel(Level.ERROR);
        }
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, boolean json) {
        if (json) {
            JsonEncoder encoder = new JsonEncoder();
            encoder.setContext(context);
            encoder.setWithSequenceNumber(false);
            encoder.setWithNanoseconds(false);
            encoder.setWithContext(false);
            encoder.setWithFormattedMessage(true);
            encoder.setWithMessage(false);
            encoder.setWithArguments(false);
            encoder.start();
            return encoder;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
        encoder.start();
        return encoder;
    }
}
