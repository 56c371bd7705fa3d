package com.builde2e.sandbox.usage.boundary;

import com.builde2e.sandbox.usage.control.ReportGrouping;
import com.builde2e.sandbox.usage.control.ReportPeriod;
import jakarta.ws.rs.QueryParam;

/**
 * The query parameters of both usage endpoints. Their OpenAPI descriptions are declared on the
 * resource methods (Payara's OpenAPI document fails on {@code @Parameter} inside a bean parameter),
 * from the constants here.
 */
public class UsageParams {

    static final String FROM =
            "start, inclusive: a date (2026-11-26, from 00:00 UTC) or a date-time with offset "
                    + "(2026-11-26T13:00:00Z); default: the beginning";
    static final String TO =
            "end: a date (2026-11-30, the whole day included) or a date-time with offset "
                    + "(exclusive); default: no end";
    static final String GROUP_BY = "key or day (UTC): one row per API key or per day";

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
