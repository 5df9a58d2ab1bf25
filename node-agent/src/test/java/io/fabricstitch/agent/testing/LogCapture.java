package io.fabricstitch.agent.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The WARNING (and worse) messages logged under one logger name, its children included, while it is open. The agent
 * logs through {@link System.Logger}, which is java.util.logging in the tests.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue())
                warnings.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(String name) {
        logger = Logger.getLogger(name);
        logger.addHandler(handler);
    }

    /** Starts capturing the warnings of logger {@code name} and its children, e.g. a package's. */
    public static LogCapture warnings(String name) {
        return new LogCapture(name);
    }

    /** The messages captured so far, oldest first. */
    public List<String> messages() {
        return warnings;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
