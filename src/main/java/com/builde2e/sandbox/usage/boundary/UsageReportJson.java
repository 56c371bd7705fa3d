package com.builde2e.sandbox.usage.boundary;

import com.builde2e.sandbox.usage.control.ReportGrouping;
import com.builde2e.sandbox.usage.control.ReportPeriod;
import com.builde2e.sandbox.usage.control.UsageFigures;
import com.builde2e.sandbox.usage.control.UsageReport;
import com.builde2e.sandbox.usage.control.UsageRow;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A report as JSON: {@code from}, {@code to} (null when open), {@code groupBy}, {@code totals} and
 * {@code rows}, each row holding its group columns ({@code keyId}, {@code keyName}, {@code
 * keyPrefix} or {@code day}) and the figures.
 */
public final class UsageReportJson {

    private UsageReportJson() {}

    public static JsonObject of(UsageReport report) {
        ReportPeriod period = report.query().period();
        ReportGrouping grouping = report.query().groupBy();
        JsonArrayBuilder rows = Json.createArrayBuilder();
        for (UsageRow row : report.rows()) {
            JsonObjectBuilder json = Json.createObjectBuilder();
            for (int i = 0; i < grouping.columns().size(); i++) {
                json.add(grouping.columns().get(i), row.group().get(i));
            }
            rows.add(figures(json, row.figures()));
        }
        JsonObjectBuilder json = Json.createObjectBuilder();
        time(json, "from", period.from());
        time(json, "to", period.to());
        return json.add("groupBy", grouping.label())
                .add("totals", figures(Json.createObjectBuilder(), report.totals()))
                .add("rows", rows)
                .build();
    }

    private static void time(JsonObjectBuilder json, String name, OffsetDateTime value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value));
        }
    }

    private static JsonObjectBuilder figures(JsonObjectBuilder json, UsageFigures figures) {
        List<Number> values = figures.values();
        for (int i = 0; i < values.size(); i++) {
            String name = UsageFigures.NAMES.get(i);
            if (values.get(i) instanceof BigDecimal decimal) {
                json.add(name, decimal);
            } else {
                json.add(name, values.get(i).longValue());
            }
        }
        return json;
    }
}
