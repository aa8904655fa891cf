package io.binfleet.app;

import ch.qos.logback.classic.LoggerContext;
import io.binfleet.core.codec.Codec;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** binfleet's logging as set up in code: the formats and levels that logback.xml used to give. */
class LogSetupTest {
    /** What {@code logs} writes to stderr through a context set up by LogSetup. */
    private static String stderrOf(boolean json, String level, Consumer<LoggerContext> logs) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // the one MDC.put writes to
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            LogSetup.apply(context, json, level);
            logs.accept(context);
        } finally {
            context.stop();
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void text_onStderr_binfleetAtInfo_kafkaErrorsOnly() {
        String out = stderrOf(false, null, c -> {
            c.getLogger("io.binfleet.worker.Worker").info("worker started threads={}", 2);
            c.getLogger("io.binfleet.worker.Worker").debug("not shown");
            c.getLogger("org.apache.kafka.clients.NetworkClient").warn("not shown either");
            c.getLogger("org.apache.kafka.clients.NetworkClient").error("broker gone");
            c.getLogger("com.example.Other").info("not shown: others log warnings and up");
        });
        assertThat(out.lines())
                .hasSize(2)
                .anySatisfy(
                        l -> assertThat(l)
                                .matches(
                                        "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  i\\.b\\.worker\\.Worker - worker started threads=2"))
                .anySatisfy(l -> assertThat(l).endsWith("ERROR o.a.k.c.NetworkClient - broker gone"));
    }

    @Test
    void json_oneObjectPerLine_withTheMdc_andTheLevelFromTheEnvironment() throws Exception {
        String out = stderrOf(true, "debug", c -> {
            MDC.put("jobId", "j-1");
            try {
                c.getLogger("io.binfleet.worker.Worker").debug("piece done piece={}", 3);
            } finally {
                MDC.clear();
            }
        });
        assertThat(out.lines()).hasSize(1);
        var line = Codec.readTree(out.strip().getBytes(StandardCharsets.UTF_8));
        assertThat(line.get("level").asText()).isEqualTo("DEBUG");
        assertThat(line.get("loggerName").asText()).isEqualTo("io.binfleet.worker.Worker");
        assertThat(line.get("formattedMessage").asText()).isEqualTo("piece done piece=3");
        assertThat(line.get("mdc").get("jobId").asText()).isEqualTo("j-1");
    }
}
