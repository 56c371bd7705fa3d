package com.builde2e.sandbox.usage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.builde2e.sandbox.platform.RequestRefusedException;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReportGroupingTest {

    @Test
    void readsKeyAndDayInAnyCase() {
        assertEquals(ReportGrouping.KEY, ReportGrouping.parse("key", ReportGrouping.DAY));
        assertEquals(ReportGrouping.DAY, ReportGrouping.parse("Day", ReportGrouping.KEY));
    }

    @Test
    void absentMeansTheFallback() {
        assertEquals(ReportGrouping.DAY, ReportGrouping.parse(null, ReportGrouping.DAY));
        assertEquals(ReportGrouping.KEY, ReportGrouping.parse("", ReportGrouping.KEY));
    }

    @Test
    void anythingElseIsA400NamingGroupBy() {
        RequestRefusedException e =
                assertThrows(
                        RequestRefusedException.class,
                        () -> ReportGrouping.parse("language", ReportGrouping.KEY));

        assertEquals("groupBy", e.body().field());
        assertEquals("groupBy must be 'key' or 'day'", e.getMessage());
    }

    @Test
    void keyRowIsIdNamePrefixThenFigures() {
        UUID id = UUID.randomUUID();
        Object[] result = {
            id,
            "ci",
            "uc-abcdefgh",
            3L,
            1L,
            1L,
            0L,
            new BigDecimal("0.006000"),
            new BigDecimal("10012.50")
        };

        UsageRow row = ReportGrouping.KEY.toRow(result);

        assertEquals(List.of(id.toString(), "ci", "uc-abcdefgh"), row.group());
        assertEquals(
                new UsageFigures(
                        3, 1, 1, 0, new BigDecimal("0.006000"), new BigDecimal("10012.50")),
                row.figures());
    }

    @Test
    void dayRowIsTheIsoDateThenFigures() {
        Object[] result = {
            Date.valueOf(LocalDate.of(2026, 11, 26)),
            2L,
            0L,
            0L,
            0L,
            new BigDecimal("0.004000"),
            new BigDecimal("41.20")
        };

        UsageRow row = ReportGrouping.DAY.toRow(result);

        assertEquals(List.of("2026-11-26"), row.group());
        assertEquals(2, row.figures().executions());
    }
}
