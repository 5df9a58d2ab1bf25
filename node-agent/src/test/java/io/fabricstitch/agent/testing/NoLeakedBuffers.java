package io.fabricstitch.agent.testing;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reported a buffer that was never released: listens to its log while
 * the class runs, then collects garbage and allocates again (a few times, 10 ms apart) so that pending reports
 * come out.
 */
public final class NoLeakedBuffers implements BeforeAllCallback, AfterAllCallback {
    private static final Logger DETECTOR = Logger.getLogger(ResourceLeakDetector.class.getName());

    private final List<String> leaks = new CopyOnWriteArrayList<>();

    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.SEVERE.intValue() && String.valueOf(r.getMessage()).contains("LEAK"))
                leaks.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Override
    public void beforeAll(ExtensionContext context) {
        DETECTOR.addHandler(handler);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            for (int i = 0; i < 10 && leaks.isEmpty(); i++) {
                System.gc();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                ByteBufAllocator.DEFAULT.directBuffer(1).release();
            }
            if (!leaks.isEmpty())
                throw new AssertionError(leaks.size() + " leaked buffer(s) in " + context.getDisplayName() + ":\n"
                    + leaks.get(0));
        }
        finally {
            DETECTOR.removeHandler(handler);
        }
    }
}
