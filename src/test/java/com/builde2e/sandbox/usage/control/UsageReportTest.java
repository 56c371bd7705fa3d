package com.builde2e.sandbox.usage.control;

import static com.builde2e.sandbox.usage.control.ReportRows.BY_KEY;
import static com.builde2e.sandbox.usage.control.ReportRows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageReportTest {

    @Test
    void totalsAddUpEveryRowExactly() {
        UsageReport report =
                new UsageReport(
                        BY_KEY,
                        List.of(
                                row("a", 3, 1, 1, 0, "0.006000", "10012.50"),
                                row("b", 2, 2, 0, 1, "0.004000", "300.25"),
                                row("c", 5, 0, 0, 0, "0.010000", "0.01")));

        UsageFigures totals = report.totals();

        assertEquals(
                new UsageFigures(
                        10, 3, 1, 1, new BigDecimal("0.020000"), new BigDecimal("10312.76")),
                totals);
        assertEquals(
                List.of(10L, 3L, 1L, 1L, new BigDecimal("0.02"), new BigDecimal("10312.76")),
                totals.values());
    }

    @Test
    void emptyReportTotalsAreZero() {
        UsageFigures totals = new UsageReport(BY_KEY, List.of()).totals();

        assertEquals(List.of(0L, 0L, 0L, 0L, BigDecimal.ZERO, BigDecimal.ZERO), totals.values());
    }

    @Test
    void wholeAmountsAreWrittenWithoutExponent() {
        UsageFigures figures =
                new UsageFigures(1, 0, 0, 0, new BigDecimal("20.000000"), new BigDecimal("100.00"));

        assertEquals("20", ((BigDecimal) figures.values().get(4)).toString());
        assertEquals("100", ((BigDecimal) figures.values().get(5)).toString());
    }

    @Test
    void ownKeyQueryFiltersOnThatKeyAndAllKeysOnNone() {
        java.util.UUID id = java.util.UUID.randomUUID();

        assertEquals(
                id.toString(),
                UsageQuery.ownKey(BY_KEY.period(), ReportGrouping.DAY, id).keyFilter());
        assertEquals("", BY_KEY.keyFilter());
    }
}
