package io.fabricstitch.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class Iperf3Test {
    @Test
    void parse_takesTheReceiversBytesAndSeconds_andBothEndsCpu() throws IOException {
        String json = "{\"start\":{},\"end\":{\"sum_sent\":{\"bytes\":536870912,\"seconds\":0.25},"
            + "\"sum_received\":{\"bytes\":536870912,\"seconds\":0.2,\"bits_per_second\":2.1e10},"
            + "\"cpu_utilization_percent\":{\"host_total\":60.0,\"remote_total\":40.0}}}";

        Iperf3.Round r = Iperf3.parse(json);

        assertEquals(536870912L, r.bytes());
        assertEquals(0.2, r.seconds(), 1e-9);
        assertEquals(0.2, r.cpuSeconds(), 1e-9); // (60 + 40) % of 0.2 s
    }

    @Test
    void parse_withoutAReceiverSum_failsNamingWhatIsMissing() {
        IOException e = assertThrows(IOException.class, () -> Iperf3.parse("{\"error\":\"unable to connect\"}"));

        assertTrue(e.getMessage().startsWith("iperf3 -J: no end.sum_received.bytes/seconds in "), e::getMessage);
    }
}
