package com.builde2e.sandbox.usage.control;

import java.math.BigDecimal;
import java.util.List;

/**
 * Report rows for tests: a row grouped by key {@code group}, named "{@code group} name", prefix
 * "uc-{@code group}".
 */
public final class ReportRows {

    public static final UsageQuery BY_KEY =
            UsageQuery.allKeys(ReportPeriod.parse(null, null), ReportGrouping.KEY);

    private ReportRows() {}

    public static UsageRow row(
            String group,
            long executions,
            long failures,
            long timeouts,
            long memoryKills,
            String cost,
            String timeMs) {
        return new UsageRow(
                List.of(group, group + " name", "uc-" + group),
                new UsageFigures(
                        executions,
                        failures,
                        timeouts,
                        memoryKills,
                        new BigDecimal(cost),
                        new BigDecimal(timeMs)));
    }
}
