package com.builde2e.sandbox.usage.control;

import java.util.List;

/**
 * A usage report: what was asked, one row per group (in query order) and the totals over all rows.
 */
public record UsageReport(UsageQuery query, List<UsageRow> rows) {

    public UsageFigures totals() {
        return rows.stream().map(UsageRow::figures).reduce(UsageFigures.NONE, UsageFigures::plus);
    }
}
