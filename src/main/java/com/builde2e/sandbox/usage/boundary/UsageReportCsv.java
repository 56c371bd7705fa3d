package com.builde2e.sandbox.usage.boundary;

import com.builde2e.sandbox.usage.control.UsageFigures;
import com.builde2e.sandbox.usage.control.UsageReport;
import com.builde2e.sandbox.usage.control.UsageRow;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A report as CSV (RFC 4180, CRLF line ends): a header, one line per row, then a {@code total}
 * line. Text cells that a spreadsheet would run as a formula (a key name such as {@code
 * =HYPERLINK(...)}) are prefixed with a quote.
 */
public final class UsageReportCsv {

    private static final String TOTAL = "total";
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private UsageReportCsv() {}

    public static String of(UsageReport report) {
        List<String> groupColumns = report.query().groupBy().columns();
        StringBuilder csv = new StringBuilder();
        line(csv, concat(groupColumns, UsageFigures.NAMES));
        for (UsageRow row : report.rows()) {
            line(csv, concat(row.group(), cells(row.figures())));
        }
        List<String> totalGroup = new ArrayList<>(Collections.nCopies(groupColumns.size(), ""));
        totalGroup.set(0, TOTAL);
        line(csv, concat(totalGroup, cells(report.totals())));
        return csv.toString();
    }

    private static List<String> cells(UsageFigures figures) {
        return figures.values().stream()
                .map(
                        value ->
                                value instanceof BigDecimal decimal
                                        ? decimal.toPlainString()
                                        : value.toString())
                .toList();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static void line(StringBuilder csv, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(cell(cells.get(i)));
        }
        csv.append("\r\n");
    }

    private static String cell(String value) {
        String safe =
                !value.isEmpty() && FORMULA_STARTS.indexOf(value.charAt(0)) >= 0
                        ? "'" + value
                        : value;
        if (safe.contains(",")
                || safe.contains("\"")
                || safe.contains("\n")
                || safe.contains("\r")) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }
}
