package io.fabricstitch.benchmarks.suite;

import io.fabricstitch.model.FabricType;
import java.util.List;
import java.util.Locale;

/**
 * One declared fabric of the heterogeneous cluster and its simulated service model: a task of {@code W} work units
 * travels {@code latencyMs} to the device, then holds one of its {@code slots} for {@code W / speed} ms.
 *
 * @param name declared name (device key {@code declared:<name>})
 * @param type fabric type
 * @param model model shown in the Fabric Map
 * @param speed work units per millisecond of one slot (the fabric's {@code speedFactor})
 * @param slots tasks the device runs at once (the fabric's {@code resourceCount}, unit {@code slots})
 * @param latencyMs declared distance (the fabric's {@code LATENCY_MS}), also slept by every task sent there
 * @param site site label
 * @param functions functions the fabric runs
 */
public record Device(String name, FabricType type, String model, double speed, int slots, double latencyMs,
    String site, List<String> functions) {
    /** Work units per millisecond of the whole device: {@code speed * slots}. */
    public double capacity() {
        return speed * slots;
    }

    /** Milliseconds a task of {@code work} units holds a slot here. */
    public double serviceMs(double work) {
        return work / speed;
    }

    /** Whether the fabric runs {@code function}. */
    public boolean runs(String function) {
        return functions.contains(function);
    }

    /** One line for tables: {@code A100 (GPU): speed 8, 4 slots, 3 ms, site default}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %s, speed %s, %d slots, %s ms, runs %s", name, type, num(speed), slots,
            num(latencyMs), String.join("+", functions));
    }

    static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long)v) : String.valueOf(v);
    }
}
