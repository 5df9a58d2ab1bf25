package io.fabricstitch.agent;

import io.fabricstitch.model.FabricEntry;
import java.util.List;

/** Told when the agent's set of fabrics, or any of their values, changes. */
@FunctionalInterface
public interface FabricListener {
    /** @param fabrics every fabric the agent now reports, in a stable order */
    void onFabricsChanged(List<FabricEntry> fabrics);
}
