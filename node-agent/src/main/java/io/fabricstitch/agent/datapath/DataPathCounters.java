package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link DataPathStats}; written on the event loops, read from anywhere. */
final class DataPathCounters {
    private final LongAdder transfersIn = new LongAdder();
    private final LongAdder transfersOut = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final Map<Failure, LongAdder> failures = new EnumMap<>(Failure.class);

    DataPathCounters() {
        for (Failure f : Failure.values())
            failures.put(f, new LongAdder());
    }

    void received(long bytes) {
        transfersIn.increment();
        bytesIn.add(bytes);
    }

    void sent(long bytes) {
        transfersOut.increment();
        bytesOut.add(bytes);
    }

    void failed(Failure kind) {
        failures.get(kind).increment();
    }

    DataPathStats snapshot() {
        Map<Failure, Long> f = new EnumMap<>(Failure.class);
        failures.forEach((k, v) -> f.put(k, v.sum()));
        return new DataPathStats(transfersIn.sum(), transfersOut.sum(), bytesIn.sum(), bytesOut.sum(), f);
    }
}
