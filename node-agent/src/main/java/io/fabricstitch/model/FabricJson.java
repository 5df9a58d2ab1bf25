package io.fabricstitch.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** JSON form of the model: ISO-8601 instants, unknown properties rejected by name. */
public final class FabricJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private FabricJson() {
    }

    /** A mapper configured for the model; share it, do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Writes an entry as JSON. */
    public static String toJson(FabricEntry entry) {
        try {
            return MAPPER.writeValueAsString(entry);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("fabric entry not writable as JSON: " + entry, e);
        }
    }

    /**
     * Reads an entry from JSON.
     *
     * @throws IllegalArgumentException naming the invalid field, or the JSON problem and where it is
     */
    public static FabricEntry fromJson(String json) {
        try {
            return MAPPER.readValue(json, FabricEntry.class);
        }
        catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            throw new IllegalArgumentException(cause != null ? cause.getMessage() : e.getOriginalMessage(), e);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("fabric entry JSON: " + e.getOriginalMessage()
                + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() : ""), e);
        }
    }
}
