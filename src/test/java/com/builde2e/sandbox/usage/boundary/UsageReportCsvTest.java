package com.builde2e.sandbox.usage.boundary;

import static com.builde2e.sandbox.usage.control.ReportRows.BY_KEY;
import static com.builde2e.sandbox.usage.control.ReportRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.builde2e.sandbox.usage.control.ReportGrouping;
import com.builde2e.sandbox.usage.control.ReportPeriod;
import com.builde2e.sandbox.usage.control.UsageFigures;
import com.builde2e.sandbox.usage.control.UsageQuery;
import com.builde2e.sandbox.usage.control.UsageReport;
import com.builde2e.sandbox.usage.control.UsageRow;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageReportCsvTest {

    private static final String KEY_HEADER =
            "keyId,keyName,keyPrefix,executions,failures,timeouts,memoryKills,totalCost,totalExecutionTimeMs\r\n";

    @Test
    void headerRowsAndTotalLine() {
        UsageReport report =
                new UsageReport(
                        BY_KEY,
                        List.of(
                                row("a", 3, 1, 1, 0, "0.006000", "10012.50"),
                                row("b", 2, 2, 0, 1, "0.004000", "300.25")));

        assertEquals(
                KEY_HEADER
                        + "a,a name,uc-a,3,1,1,0,0.006,10012.5\r\n"
                        + "b,b name,uc-b,2,2,0,1,0.004,300.25\r\n"
                        + "total,,,5,3,1,1,0.01,10312.75\r\n",
                UsageReportCsv.of(report));
    }

    @Test
    void dayGroupingHasOneGroupColumn() {
        UsageQuery byDay = UsageQuery.allKeys(ReportPeriod.parse(null, null), ReportGrouping.DAY);
        UsageReport report =
                new UsageReport(
                        byDay,
                        List.of(
                                new UsageRow(
                                        List.of("2026-11-26"),
                                        new UsageFigures(
                                                1,
                                                0,
                                                0,
                                                0,
                                                new BigDecimal("0.002000"),
                                                new BigDecimal("12.00")))));

        assertEquals(
                "day,executions,failures,timeouts,memoryKills,totalCost,totalExecutionTimeMs\r\n"
                        + "2026-11-26,1,0,0,0,0.002,12\r\n"
                        + "total,1,0,0,0,0.002,12\r\n",
                UsageReportCsv.of(report));
    }

    @Test
    void emptyReportIsHeaderAndZeroTotal() {
        assertEquals(
                KEY_HEADER + "total,,,0,0,0,0,0,0\r\n",
                UsageReportCsv.of(new UsageReport(BY_KEY, List.of())));
    }

    @Test
    void namesWithSeparatorsQuotesOrFormulasAreEscaped() {
        UsageFigures none = UsageFigures.NONE;
        UsageReport report =
                new UsageReport(
                        BY_KEY,
                        List.of(
                                new UsageRow(List.of("id1", "team, \"blue\"", "uc-1"), none),
                                new UsageRow(List.of("id2", "=HYPERLINK(\"x\")", "uc-2"), none),
                                new UsageRow(List.of("id3", "two\nlines", "uc-3"), none)));

        List<String> lines = UsageReportCsv.of(report).lines().toList();

        assertEquals("id1,\"team, \"\"blue\"\"\",uc-1,0,0,0,0,0,0", lines.get(1));
        assertEquals("id2,\"'=HYPERLINK(\"\"x\"\")\",uc-2,0,0,0,0,0,0", lines.get(2));
        assertEquals("id3,\"two", lines.get(3));
        assertEquals("lines\",uc-3,0,0,0,0,0,0", lines.get(4));
    }
}
