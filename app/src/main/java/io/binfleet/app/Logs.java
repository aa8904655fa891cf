package io.binfleet.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Log levels set from the command line. */
final class Logs {
    private Logs() {}

    /** binfleet's own INFO lines would break the progress bar: keep warnings and errors only. */
    static void quiet() {
        if (System.getenv("BINFLEET_LOG_LEVEL") == null) {
            ((Logger) LoggerFactory.getLogger("io.binfleet")).setLevel(Level.WARN);
        }
    }
}
