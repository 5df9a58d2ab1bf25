package io.fabricstitch.agent.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.fabricstitch.agent.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FailureLogTest {
    private final AtomicLong nanos = new AtomicLong();
    private final FailureLog log = new FailureLog("data path t", nanos::get);
    private final LogCapture capture = LogCapture.warnings(FailureLog.class.getName());
    private final List<String> warnings = capture.messages();

    @AfterEach
    void stopListening() {
        capture.close();
    }

    private void fail(Failure kind, String message) {
        log.failed(DataPathException.expected(kind, "data path: " + message));
    }

    @Test
    void warnsAtOncePerKind_thenSummarisesOncePerMinute() {
        fail(Failure.PROTOCOL, "garbage 1");
        fail(Failure.PROTOCOL, "garbage 2");
        fail(Failure.UNAUTHORIZED, "forged 1");
        for (int i = 3; i <= 1000; i++)
            fail(Failure.PROTOCOL, "garbage " + i);
        log.flush();
        assertEquals(List.of("data path t: garbage 1", "data path t: forged 1"), warnings);

        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        log.flush();
        assertEquals("data path t: 999 PROTOCOL failures in the last minute, the last: garbage 1000", warnings.get(2));
        assertEquals(3, warnings.size(), warnings::toString);

        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        log.flush();
        assertEquals(3, warnings.size(), "nothing new, nothing said");
    }
}
