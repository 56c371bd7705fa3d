package com.builde2e.sandbox.usage.control;

import com.builde2e.sandbox.platform.RequestRefusedException;
import com.builde2e.sandbox.usage.entity.UsageRecord;
import java.sql.Date;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How report rows are grouped: one row per API key or one per UTC day. Each grouping names its
 * query (declared on the usage record entity) and the columns that query returns ahead of the
 * {@link UsageFigures}.
 */
public enum ReportGrouping {
    KEY(UsageRecord.REPORT_BY_KEY, List.of("keyId", "keyName", "keyPrefix")),
    DAY(UsageRecord.REPORT_BY_DAY, List.of("day"));

    private final String queryName;
    private final List<String> columns;

    ReportGrouping(String queryName, List<String> columns) {
        this.queryName = queryName;
        this.columns = columns;
    }

    /**
     * Reads the {@code groupBy} query parameter; absent or blank means {@code fallback}.
     *
     * @throws RequestRefusedException 400 for anything but {@code key} or {@code day}
     */
    public static ReportGrouping parse(String value, ReportGrouping fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return Arrays.stream(values())
                .filter(grouping -> grouping.label().equals(value.strip().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(
                        () ->
                                RequestRefusedException.invalid(
                                        "groupBy", "groupBy must be 'key' or 'day'"));
    }

    /** The name callers use: {@code key} or {@code day}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String queryName() {
        return queryName;
    }

    /** The names of the group columns, in query order. */
    public List<String> columns() {
        return columns;
    }

    /** One result row of {@link #queryName()}: the group columns, then the figures. */
    public UsageRow toRow(Object[] result) {
        List<String> group =
                Arrays.stream(result, 0, columns.size()).map(ReportGrouping::text).toList();
        return new UsageRow(group, UsageFigures.fromColumns(result, columns.size()));
    }

    private static String text(Object column) {
        if (column instanceof Date day) {
            return day.toLocalDate().toString();
        }
        return String.valueOf(column);
    }
}
