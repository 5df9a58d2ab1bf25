package io.fabricstitch.examples;

import io.fabricstitch.examples.api.FabricMapPrinter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.compute.FabricOrchestrator;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;
import org.junit.jupiter.api.Test;

/** Every file in config/ starts a node (a client needs a server, so they run together). */
class ConfigFilesTest {
    @Test
    void serverConfig_reportsThisHostsCpuOnlineThroughJdbc_andClientConfigReadsTheMap() throws Exception {
        try (Ignite server = Ignition.start("../config/fabric-server.xml")) {
            List<String> rows = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(FabricMapPrinter.DFLT_URL);
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT FABRIC_TYPE, STATUS FROM FABRIC.FABRIC_ENTRY")) {
                while (rs.next())
                    rows.add(rs.getString(1) + ' ' + rs.getString(2));
            }
            assertTrue(rows.contains("CPU ONLINE"), rows::toString);
            openClRowServedByJdbc(server);
            thinClientProtocolIsOff();

            try (Ignite client = Ignition.start("../config/fabric-client.xml")) {
                assertTrue(client.cluster().localNode().isClient());
                List<FabricEntry> map = FabricPlugin.of(client).fabricMap();
                assertEquals(List.of(), FabricPlugin.of(client).localFabrics());
                assertEquals(FabricPlugin.of(server).localFabrics().size(), map.size());
                assertTrue(map.stream().anyMatch(e -> e.getFabricType() == FabricType.CPU
                    && e.getStatus() == FabricStatus.ONLINE), map::toString);
            }
        }
    }

    /**
     * Without security a thin client could call the orchestrator's service and write caches: the shipped server
     * configuration serves JDBC only.
     */
    private static void thinClientProtocolIsOff() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            try (IgniteClient c = Ignition.startClient(new ClientConfiguration().setAddresses("127.0.0.1:10800"))) {
                c.services().serviceProxy("fabric-orchestrator", FabricOrchestrator.class).queuedTasks();
            }
        });
        assertTrue(String.valueOf(e.getMessage()).contains("thinClientEnabled"), e::toString);
    }

    /** Where the host has an OpenCL device, its row, RUNTIME OPENCL under its real name, reaches any JDBC client. */
    private static void openClRowServedByJdbc(Ignite server) throws Exception {
        FabricEntry cl = DemoRealDevice.openClFabric(server).orElse(null);
        if (cl == null) {
            System.out.println("no OpenCL fabric on this host: its row is not checked");
            return;
        }
        try (Connection c = DriverManager.getConnection(FabricMapPrinter.DFLT_URL);
             java.sql.PreparedStatement st = c.prepareStatement("SELECT MODEL, RUNTIME, DEVICE_KEY, DRIVER, STATUS "
                 + "FROM FABRIC.FABRIC_ENTRY WHERE FABRIC_ID = ?")) {
            st.setObject(1, cl.getFabricId());
            try (ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next(), "no row for " + cl);
                assertEquals(List.of(cl.getModel(), "OPENCL", cl.getDeviceKey(), "ONLINE"), List.of(rs.getString(1),
                    rs.getString(2), rs.getString(3), rs.getString(5)));
                assertTrue(rs.getString(3).startsWith("opencl:"), rs.getString(3));
                assertTrue(!rs.getString(4).isEmpty(), "its driver");
            }
        }
    }

    @Test
    void demoConfig_reportsDeclaredGpuFpgaAndAsicBesideTheCpu() {
        try (Ignite node = Ignition.start("../config/fabric-demo.xml")) {
            List<String> types = FabricPlugin.of(node).localFabrics().stream()
                .map(e -> e.getFabricType().name()).distinct().sorted().collect(Collectors.toList());
            assertTrue(types.containsAll(List.of("ASIC", "CPU", "FPGA", "GPU")), types::toString);
        }
    }
}
