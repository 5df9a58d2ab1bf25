package io.fabricstitch.ignite.placement;

import io.fabricstitch.ignite.compute.CostTerms;
import io.fabricstitch.model.FabricEntry;

/**
 * The outcome of one selection: a fabric with its cost terms, or why none was chosen, either for now (every capable
 * fabric is busy: the task may queue) or at all (no fabric could ever take it). Immutable.
 */
public final class Selection {
    private final int index;
    private final FabricEntry fabric;
    private final CostTerms terms;
    private final boolean busy;
    private final String reason;

    private Selection(int index, FabricEntry fabric, CostTerms terms, boolean busy, String reason) {
        this.index = index;
        this.fabric = fabric;
        this.terms = terms;
        this.busy = busy;
        this.reason = reason;
    }

    static Selection placed(int index, FabricEntry fabric, CostTerms terms) {
        return new Selection(index, fabric, terms, false, null);
    }

    static Selection busy(String reason) {
        return new Selection(-1, null, null, true, reason);
    }

    static Selection none(String reason) {
        return new Selection(-1, null, null, false, reason);
    }

    /** True when a fabric was chosen. */
    public boolean isPlaced() {
        return fabric != null;
    }

    /** True when fabrics that could run the task exist but none has the free resources now. */
    public boolean isBusy() {
        return busy;
    }

    /** Index of the chosen fabric in its {@link CandidateTable}; -1 when none. */
    public int index() {
        return index;
    }

    /** The chosen fabric; null when none. */
    public FabricEntry fabric() {
        return fabric;
    }

    /** Cost and terms of the chosen fabric; null when none. */
    public CostTerms terms() {
        return terms;
    }

    /** Why nothing was chosen (what was asked, what the map holds); null when placed. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return isPlaced() ? "Selection [fabric=" + fabric.getFabricId() + ", " + terms + ']'
            : "Selection [" + (busy ? "busy" : "none") + ": " + reason + ']';
    }
}
