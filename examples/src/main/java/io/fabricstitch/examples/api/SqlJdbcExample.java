package io.fabricstitch.examples.api;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL on the Fabric Map through Ignite's JDBC thin driver ({@code org.apache.ignite.IgniteJdbcThinDriver}, no node
 * needed on the client side): every fabric, which fabrics run a function (a JOIN with a bound parameter), and the free
 * resources per fabric type (an aggregate).
 * <pre>{@code
 * try (Connection c = DriverManager.getConnection("jdbc:ignite:thin://127.0.0.1:10800..10810");
 *      ResultSet rs = c.createStatement().executeQuery("SELECT NODE_NAME, FABRIC_TYPE FROM FABRIC.FABRIC_ENTRY")) {
 *     ...
 * }
 * }</pre>
 */
public final class SqlJdbcExample implements Example {
    static final String EVERY_FABRIC = "SELECT NODE_NAME, FABRIC_TYPE, MODEL, RESOURCE_FREE, RESOURCE_UNIT, STATUS "
        + "FROM FABRIC.FABRIC_ENTRY ORDER BY NODE_NAME, FABRIC_TYPE, MODEL";

    static final String RUNS_FUNCTION = "SELECT e.FABRIC_TYPE, e.MODEL, e.NODE_NAME FROM FABRIC.FABRIC_ENTRY e "
        + "JOIN FABRIC.FABRIC_FUNCTION f ON e.FABRIC_ID = f.FABRIC_ID WHERE f.FUNCTION_NAME = ? AND e.STATUS = 'ONLINE' "
        + "ORDER BY e.FABRIC_TYPE, e.MODEL, e.NODE_NAME";

    static final String FREE_PER_TYPE = "SELECT FABRIC_TYPE, RESOURCE_UNIT, COUNT(*) AS FABRICS, "
        + "SUM(RESOURCE_FREE) AS FREE FROM FABRIC.FABRIC_ENTRY WHERE STATUS = 'ONLINE' "
        + "GROUP BY FABRIC_TYPE, RESOURCE_UNIT ORDER BY FABRIC_TYPE, RESOURCE_UNIT";

    /** The function the JOIN asks about. */
    static final String FUNCTION = "image.gaussian-blur";

    @Override
    public String name() {
        return "sql";
    }

    @Override
    public String summary() {
        return "SQL on the Fabric Map through the JDBC thin driver: every fabric, a JOIN, an aggregate";
    }

    @Override
    public boolean run(ExampleContext ctx) throws SQLException {
        PrintStream out = ctx.out();
        String url = ctx.jdbcUrl();
        out.println("JDBC thin driver: " + url);
        try (Connection c = DriverManager.getConnection(url)) {
            out.println();
            out.println("Every fabric: " + EVERY_FABRIC);
            int fabrics = print(c, EVERY_FABRIC, null, out);
            out.println();
            out.println("Which fabrics run " + FUNCTION + "? " + RUNS_FUNCTION + "  [? = '" + FUNCTION + "']");
            print(c, RUNS_FUNCTION, FUNCTION, out);
            out.println();
            out.println("Free resources per fabric type: " + FREE_PER_TYPE);
            print(c, FREE_PER_TYPE, null, out);
            return fabrics > 0;
        }
    }

    /** Runs {@code sql} with its one parameter (null: none) and prints the result as a table; returns its rows. */
    private static int print(Connection c, String sql, String param, PrintStream out) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            if (param != null)
                st.setString(1, param);
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<String[]> rows = new ArrayList<>();
                String[] header = new String[md.getColumnCount()];
                for (int i = 0; i < header.length; i++)
                    header[i] = md.getColumnLabel(i + 1);
                rows.add(header);
                while (rs.next()) {
                    String[] row = new String[header.length];
                    for (int i = 0; i < row.length; i++)
                        row[i] = String.valueOf(rs.getObject(i + 1));
                    rows.add(row);
                }
                return FabricMapPrinter.printRows(rows, out);
            }
        }
    }
}
