package io.fabricstitch.ignite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.test.FabricTestCluster;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.binary.BinaryType;
import org.apache.ignite.internal.binary.BinaryObjectExImpl;
import org.apache.ignite.internal.binary.BinaryTypeImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node that has written no latency, reservation or assignment row yet already knows every row type with all its
 * fields, so that no type is registered (a discovery message) while other nodes join and open their continuous
 * queries.
 */
class RowTypesRegisteredAtStartTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    @Test
    void everyRowTypeIsKnownWithItsFieldsBeforeAnyRowOfItIsWritten() {
        Ignite node = CLUSTER.start("types", p -> {
            p.getNetwork().setBeaconsEnabled(false);
            p.getAgent().setRealProbesEnabled(false);
        });
        for (Object sample : FabricCaches.ROW_SAMPLES) {
            BinaryType type = node.binary().type(sample.getClass());
            assertNotNull(type, sample.getClass().getSimpleName() + " not registered");
            Set<String> fields = Arrays.stream(sample.getClass().getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers()))
                .map(Field::getName).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(fields, new TreeSet<>(type.fieldNames()), sample.getClass().getSimpleName());
            // The schema too: a cache's QueryEntity registers the fields at its start, but not the schema of a row,
            // which Ignite would then register at the first write. (type holds the metadata as it was before this
            // toBinary, which registers the schema if it was missing.)
            BinaryObject row = node.binary().toBinary(sample);
            assertTrue(((BinaryTypeImpl)type).metadata().hasSchema(((BinaryObjectExImpl)row).schemaId()),
                sample.getClass().getSimpleName() + ": the schema of its rows is not registered");
        }
    }
}
