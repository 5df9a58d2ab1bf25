package io.fabricstitch.examples.api;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Prints the Fabric Map, or any query on it, as a text table through the JDBC thin driver. */
public final class FabricMapPrinter {
    /** Default JDBC URL: any node started on this host from the shipped configurations (JDBC ports 10800..10810). */
    public static final String DFLT_URL = "jdbc:ignite:thin://127.0.0.1:10800..10810";

    /** One row per fabric, with its functions, ordered by node then type. */
    public static final String MAP_QUERY = "SELECT e.NODE_NAME, e.FABRIC_TYPE, e.MODEL, e.RUNTIME, e.SITE, "
        + "e.RESOURCE_FREE || '/' || e.RESOURCE_COUNT || ' ' || e.RESOURCE_UNIT AS RESOURCES, e.LATENCY_MS, e.STATUS, "
        + "e.STATUS_REASON, (SELECT GROUP_CONCAT(f.FUNCTION_NAME ORDER BY f.FUNCTION_NAME SEPARATOR ',') "
        + "FROM FABRIC.FABRIC_FUNCTION f WHERE f.FABRIC_ID = e.FABRIC_ID) AS FUNCTIONS "
        + "FROM FABRIC.FABRIC_ENTRY e ORDER BY e.NODE_NAME, e.FABRIC_TYPE, e.MODEL";

    private FabricMapPrinter() {
    }

    /** Runs {@code sql} at {@code url} and prints the result; returns the number of rows. */
    public static int print(String url, String sql, PrintStream out) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            return printTable(rs, out);
        }
    }

    static int printTable(ResultSet rs, PrintStream out) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int cols = md.getColumnCount();
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[cols];
        for (int i = 0; i < cols; i++)
            header[i] = md.getColumnLabel(i + 1);
        rows.add(header);
        while (rs.next()) {
            String[] r = new String[cols];
            for (int i = 0; i < cols; i++) {
                Object v = rs.getObject(i + 1);
                r[i] = v == null ? "" : v.toString();
            }
            rows.add(r);
        }
        return printRows(rows, out);
    }

    /**
     * Prints {@code rows} as a table: the first is the header, every row has as many cells as it; returns the number
     * of rows below the header.
     */
    public static int printRows(List<String[]> rows, PrintStream out) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++)
                width[i] = Math.max(width[i], r[i].length());
        }
        for (int n = 0; n < rows.size(); n++) {
            out.println(line(rows.get(n), width));
            if (n == 0)
                out.println(separator(width));
        }
        out.println("(" + (rows.size() - 1) + " rows)");
        return rows.size() - 1;
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0)
                sb.append(" | ");
            sb.append(cells[i]);
            if (i < cells.length - 1)
                sb.append(" ".repeat(width[i] - cells[i].length()));
        }
        return sb.toString();
    }

    private static String separator(int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < width.length; i++)
            sb.append(i > 0 ? "-+-" : "").append("-".repeat(width[i]));
        return sb.toString();
    }
}
