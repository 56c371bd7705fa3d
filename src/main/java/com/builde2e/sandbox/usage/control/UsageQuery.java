package com.builde2e.sandbox.usage.control;

import java.util.UUID;

/**
 * What a usage report covers: a period, a grouping, and either every key ({@code keyId} null) or
 * one key.
 */
public record UsageQuery(ReportPeriod period, ReportGrouping groupBy, UUID keyId) {

    public static UsageQuery allKeys(ReportPeriod period, ReportGrouping groupBy) {
        return new UsageQuery(period, groupBy, null);
    }

    public static UsageQuery ownKey(ReportPeriod period, ReportGrouping groupBy, UUID keyId) {
        return new UsageQuery(period, groupBy, keyId);
    }

    /**
     * The key filter as the report queries take it: a key id, or the empty string for every key.
     */
    public String keyFilter() {
        return keyId == null ? "" : keyId.toString();
    }
}
