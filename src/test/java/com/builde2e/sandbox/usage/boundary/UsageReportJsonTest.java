package com.builde2e.sandbox.usage.boundary;

import static com.builde2e.sandbox.usage.control.ReportRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.builde2e.sandbox.usage.control.ReportGrouping;
import com.builde2e.sandbox.usage.control.ReportPeriod;
import com.builde2e.sandbox.usage.control.UsageFigures;
import com.builde2e.sandbox.usage.control.UsageQuery;
import com.builde2e.sandbox.usage.control.UsageReport;
import com.builde2e.sandbox.usage.control.UsageRow;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageReportJsonTest {

    @Test
    void reportHasPeriodGroupingTotalsAndRows() {
        UsageQuery query =
                UsageQuery.allKeys(ReportPeriod.parse("2026-11-01", null), ReportGrouping.KEY);
        UsageReport report =
                new UsageReport(
                        query,
                        List.of(
                                row("a", 3, 1, 1, 0, "0.006000", "10012.50"),
                                row("b", 2, 2, 0, 1, "0.004000", "300.25")));

        // through text and back: what a client parses
        JsonObject json =
                Json.createReader(new StringReader(UsageReportJson.of(report).toString()))
                        .readObject();

        assertEquals("2026-11-01T00:00:00Z", json.getString("from"));
        assertEquals(true, json.isNull("to"));
        assertEquals("key", json.getString("groupBy"));
        JsonObject totals = json.getJsonObject("totals");
        assertEquals(5, totals.getInt("executions"));
        assertEquals(3, totals.getInt("failures"));
        assertEquals(1, totals.getInt("timeouts"));
        assertEquals(1, totals.getInt("memoryKills"));
        assertEquals(new BigDecimal("0.01"), totals.getJsonNumber("totalCost").bigDecimalValue());
        assertEquals(
                new BigDecimal("10312.75"),
                totals.getJsonNumber("totalExecutionTimeMs").bigDecimalValue());
        JsonObject first = json.getJsonArray("rows").getJsonObject(0);
        assertEquals("a", first.getString("keyId"));
        assertEquals("a name", first.getString("keyName"));
        assertEquals("uc-a", first.getString("keyPrefix"));
        assertEquals(new BigDecimal("0.006"), first.getJsonNumber("totalCost").bigDecimalValue());
        assertEquals(2, json.getJsonArray("rows").size());
    }

    @Test
    void dayRowsCarryTheDay() {
        UsageQuery query = UsageQuery.allKeys(ReportPeriod.parse(null, null), ReportGrouping.DAY);
        UsageReport report =
                new UsageReport(
                        query, List.of(new UsageRow(List.of("2026-11-26"), UsageFigures.NONE)));

        JsonObject row = UsageReportJson.of(report).getJsonArray("rows").getJsonObject(0);

        assertEquals("2026-11-26", row.getString("day"));
        assertEquals(0, row.getInt("executions"));
    }
}
