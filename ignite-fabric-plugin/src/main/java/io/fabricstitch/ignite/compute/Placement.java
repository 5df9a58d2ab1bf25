package io.fabricstitch.ignite.compute;

import io.fabricstitch.agent.datapath.TransferToken;
import io.fabricstitch.model.FabricType;
import java.io.Serializable;
import java.util.UUID;

/**
 * Where one attempt of a task went and why: the fabric, its node, the amount reserved and the cost with both of its
 * terms, as recorded in {@code FABRIC.TASK_ASSIGNMENT}; and, when the input travels over a data path, the short-lived
 * token that lets the caller upload it to the fabric's agent. Immutable. The token is never written to a cache or
 * printed.
 */
public final class Placement implements Serializable {
    private static final long serialVersionUID = 1L;

    private final UUID taskId;
    private final int attempt;
    private final UUID fabricId;
    private final UUID nodeId;
    private final String nodeName;
    private final FabricType fabricType;
    private final String model;
    private final String resourceUnit;
    private final long amount;
    private final String priority;
    private final CostTerms terms;
    private final DataPathChoice dataPath;
    private final TransferToken transferToken;

    /** A placement; built by the orchestrator. */
    public Placement(UUID taskId, int attempt, UUID fabricId, UUID nodeId, String nodeName, FabricType fabricType,
        String model, String resourceUnit, long amount, String priority, CostTerms terms) {
        this(taskId, attempt, fabricId, nodeId, nodeName, fabricType, model, resourceUnit, amount, priority, terms,
            DataPathChoice.job("not chosen"), null);
    }

    private Placement(Placement p, DataPathChoice dataPath, TransferToken transferToken) {
        this(p.taskId, p.attempt, p.fabricId, p.nodeId, p.nodeName, p.fabricType, p.model, p.resourceUnit, p.amount,
            p.priority, p.terms, dataPath, transferToken);
    }

    private Placement(UUID taskId, int attempt, UUID fabricId, UUID nodeId, String nodeName, FabricType fabricType,
        String model, String resourceUnit, long amount, String priority, CostTerms terms, DataPathChoice dataPath,
        TransferToken transferToken) {
        this.taskId = taskId;
        this.attempt = attempt;
        this.fabricId = fabricId;
        this.nodeId = nodeId;
        this.nodeName = nodeName;
        this.fabricType = fabricType;
        this.model = model;
        this.resourceUnit = resourceUnit;
        this.amount = amount;
        this.priority = priority;
        this.terms = terms;
        this.dataPath = dataPath;
        this.transferToken = transferToken;
    }

    /** The same placement with its data path chosen (and no token). */
    public Placement withDataPath(DataPathChoice dataPath) {
        return new Placement(this, java.util.Objects.requireNonNull(dataPath, "dataPath"), null);
    }

    /** The same placement with the token of its input's upload; built by the orchestrator. */
    public Placement withTransferToken(TransferToken transferToken) {
        return new Placement(this, dataPath, java.util.Objects.requireNonNull(transferToken, "transferToken"));
    }

    /**
     * The token the caller presents to upload the input to the fabric's agent, for the placed fabric, the input's
     * size and a short time; null when the input rides in the job.
     */
    public TransferToken transferToken() {
        return transferToken;
    }

    /** How the task's input and output travel, and why. */
    public DataPathChoice dataPath() {
        return dataPath;
    }

    public UUID taskId() {
        return taskId;
    }

    /** 1 for the first placement of a task, 2 after it failed over once, ... */
    public int attempt() {
        return attempt;
    }

    public UUID fabricId() {
        return fabricId;
    }

    /** The node hosting the fabric. */
    public UUID nodeId() {
        return nodeId;
    }

    /** The hosting node's consistent id. */
    public String nodeName() {
        return nodeName;
    }

    public FabricType fabricType() {
        return fabricType;
    }

    public String model() {
        return model;
    }

    public String resourceUnit() {
        return resourceUnit;
    }

    /** Units reserved on the fabric while the attempt runs. */
    public long amount() {
        return amount;
    }

    /** The priority class the cost was weighed by, or {@code explicit}. */
    public String priority() {
        return priority;
    }

    /** The cost and both of its terms. */
    public CostTerms terms() {
        return terms;
    }

    @Override
    public String toString() {
        return "task " + taskId + " attempt " + attempt + " -> " + fabricType + ' ' + model + " on " + nodeName + " ("
            + amount + ' ' + resourceUnit + ", " + priority + "): " + terms;
    }
}
