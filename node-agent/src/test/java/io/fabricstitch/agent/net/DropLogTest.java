package io.fabricstitch.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DropLogTest {
    private static final Logger JUL = Logger.getLogger(DropLog.class.getName());

    private static final InetSocketAddress FROM = new InetSocketAddress("10.0.0.5", 47410);

    private final FakeTime time = new FakeTime();
    private final NetworkCounters counters = new NetworkCounters();
    private final DropLog drops = new DropLog("agent network t", NetworkConfiguration.builder()
        .secret(NetFixtures.secret()).nanoTime(time).build(), counters);
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel() == Level.WARNING)
                warnings.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        JUL.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        JUL.removeHandler(capture);
    }

    private void drop(DropReason reason) {
        drops.dropped(new DroppedDatagramException(reason, FROM, "test"));
    }

    @Test
    void warnsAtOncePerReason_thenSummarisesOncePerMinute() {
        drop(DropReason.UNAUTHENTICATED);
        drop(DropReason.UNAUTHENTICATED);
        drop(DropReason.MALFORMED);
        time.advance(Duration.ofSeconds(30));
        drop(DropReason.UNAUTHENTICATED);
        drops.flush();
        assertEquals(2, warnings.size(), warnings::toString);
        assertEquals("agent network t: dropped 1 unauthenticated beacon datagram(s) in the last minute, last from "
            + "10.0.0.5:47410 (expected: HMAC-SHA256 under this cluster's network.beaconSecret)", warnings.get(0));

        time.advance(Duration.ofSeconds(30));
        drops.flush();
        assertEquals(3, warnings.size(), warnings::toString);
        assertEquals("agent network t: dropped 2 unauthenticated beacon datagram(s) in the last minute, last from "
            + "10.0.0.5:47410 (expected: HMAC-SHA256 under this cluster's network.beaconSecret)", warnings.get(2));

        time.advance(Duration.ofMinutes(5));
        drops.flush();
        assertEquals(3, warnings.size(), "nothing new, nothing said");
        NetworkStats s = counters.snapshot();
        assertEquals(3, s.droppedUnauthenticated());
        assertEquals(1, s.droppedMalformed());
        assertEquals(4, s.dropped());
    }
}
