package io.fabricstitch.ignite.internal;

import java.util.UUID;
import org.apache.ignite.cache.query.annotations.QuerySqlField;

/** A row of {@code FABRIC.FABRIC_FUNCTION}: one function one fabric runs. Not API. */
public final class FabricFunctionRow {
    @QuerySqlField(name = "FABRIC_ID", index = true, notNull = true)
    private UUID fabricId;

    @QuerySqlField(name = "FUNCTION_NAME", index = true, notNull = true)
    private String functionName;

    /** For the marshaller. */
    public FabricFunctionRow() {
    }

    public FabricFunctionRow(UUID fabricId, String functionName) {
        this.fabricId = fabricId;
        this.functionName = functionName;
    }

    /** The cache key of the row: {@code <fabricId>/<functionName>}. */
    public static String key(UUID fabricId, String functionName) {
        return fabricId + "/" + functionName;
    }

    public UUID fabricId() {
        return fabricId;
    }

    public String functionName() {
        return functionName;
    }
}
