package com.builde2e.sandbox.it;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Direct JDBC access to the service's database (the SANDBOX_DB_* environment scripts/test-env.sh
 * exports), so tests can check what was billed without going through the service.
 */
public final class TestDatabase {

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null) {
            throw new IllegalStateException(
                    name + " is not set: run the ITs through scripts/test-server.sh");
        }
        return value;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(
                env("SANDBOX_DB_URL"), env("SANDBOX_DB_USER"), env("SANDBOX_DB_PASSWORD"));
    }

    /** Usage records in the whole table. */
    public long usageCount() {
        return queryOne("SELECT COUNT(*) FROM usage_record")
                .map(v -> ((Number) v).longValue())
                .orElseThrow();
    }

    /** Sum of cost_usd over the whole table (0 when empty). */
    public BigDecimal totalCost() {
        return queryOne("SELECT COALESCE(SUM(cost_usd), 0) FROM usage_record")
                .map(BigDecimal.class::cast)
                .orElseThrow();
    }

    /** Runs one statement as the service's own database role (which owns the tables). */
    public void execute(String sql) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The usage record with this id as column name -> value, or an empty map. */
    public Map<String, Object> usageRecord(UUID id) {
        return row("SELECT * FROM usage_record WHERE id = ?", id);
    }

    /** The usage record written last, as column name -> value, or an empty map. */
    public Map<String, Object> latestUsageRecord() {
        return row("SELECT * FROM usage_record ORDER BY created_at DESC LIMIT 1");
    }

    private Map<String, Object> row(String sql, Object... parameters) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                Map<String, Object> row = new HashMap<>();
                if (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                    }
                }
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<Object> queryOne(String sql) {
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            return rs.next() ? Optional.ofNullable(rs.getObject(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
