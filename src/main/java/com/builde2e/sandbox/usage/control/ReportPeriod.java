package com.builde2e.sandbox.usage.control;

import com.builde2e.sandbox.platform.RequestRefusedException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The time span of a usage report, {@code from} inclusive and {@code to} exclusive, either end open
 * (null). A bare date is a whole UTC day at either end, so {@code from=2026-11-01&to=2026-11-30}
 * covers all of November 1 to 30.
 */
public record ReportPeriod(OffsetDateTime from, OffsetDateTime to) {

    /** Stands for an open start in the query; before any usage can have been recorded. */
    static final OffsetDateTime EARLIEST =
            OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    /** Stands for an open end in the query; far beyond any usage that will be recorded. */
    static final OffsetDateTime LATEST = OffsetDateTime.of(9999, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private static final String FORMAT =
            "a date (2026-11-26) or a date-time with offset (2026-11-26T13:00:00Z)";

    /**
     * Reads the {@code from} and {@code to} query parameters (absent or blank = open).
     *
     * @throws RequestRefusedException 400 naming the parameter when a value cannot be read or the
     *     span is empty
     */
    public static ReportPeriod parse(String from, String to) {
        OffsetDateTime start = bound("from", from, false);
        OffsetDateTime end = bound("to", to, true);
        if (start != null && end != null && !start.isBefore(end)) {
            throw RequestRefusedException.invalid("to", "to must be later than from");
        }
        return new ReportPeriod(start, end);
    }

    public OffsetDateTime fromOrEarliest() {
        return from == null ? EARLIEST : from;
    }

    public OffsetDateTime toOrLatest() {
        return to == null ? LATEST : to;
    }

    private static OffsetDateTime bound(String field, String value, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return null;
        }
        OffsetDateTime parsed =
                value.length() == "2026-11-26".length() ? day(value, endOfDay) : instant(value);
        if (parsed == null || parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
            throw RequestRefusedException.invalid(
                    field, field + " must be " + FORMAT + ", between 1970 and 9999");
        }
        return parsed;
    }

    private static OffsetDateTime day(String value, boolean endOfDay) {
        try {
            LocalDate day = LocalDate.parse(value);
            return (endOfDay ? day.plusDays(1) : day).atStartOfDay().atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static OffsetDateTime instant(String value) {
        try {
            return OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
