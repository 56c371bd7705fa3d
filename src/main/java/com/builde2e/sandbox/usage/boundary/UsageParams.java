package com.builde2e.sandbox.usage.boundary;

import com.builde2e.sandbox.usage.control.ReportGrouping;
import com.builde2e.sandbox.usage.control.ReportPeriod;
import jakarta.ws.rs.QueryParam;

/**
 * The query parameters of both usage endpoints: {@code from} and {@code to} (a date such as 2026-11-26, a whole UTC
 * day, or a date-time with offset; either may be left out) and {@code groupBy} ({@code key} or {@code day}).
 */
public class UsageParams {

    @QueryParam("from")
    String from;

    @QueryParam("to")
    String to;

    @QueryParam("groupBy")
    String groupBy;

    ReportPeriod period() {
        return ReportPeriod.parse(from, to);
    }

    ReportGrouping grouping(ReportGrouping fallback) {
        return ReportGrouping.parse(groupBy, fallback);
    }
}
