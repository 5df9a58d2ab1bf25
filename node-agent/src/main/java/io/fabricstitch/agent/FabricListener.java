package io.fabricstitch.agent;

import io.fabricstitch.model.FabricEntry;
import java.util.List;

/** Told when the agent's set of fabrics, or any of their values (such as a status), changes. */
@FunctionalInterface
public interface FabricListener {
    /** @param fabrics every fabric the agent now reports, in a stable order */
    void onFabricsChanged(List<FabricEntry> fabrics);

    /**
     * Told after every health check, changed or not: the agent's heartbeat. Runs on the agent's health thread; keep
     * it short.
     *
     * @param fabrics every fabric the agent now reports
     */
    default void onHealthChecked(List<FabricEntry> fabrics) {
    }
}
