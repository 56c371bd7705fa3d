package com.builde2e.sandbox.usage;

import static com.builde2e.sandbox.apikeys.AdminTokens.issueKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.builde2e.sandbox.apikeys.AdminTokens;
import com.builde2e.sandbox.apikeys.AdminTokens.IssuedKey;
import com.builde2e.sandbox.it.Api;
import com.builde2e.sandbox.it.Api.Reply;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Usage reports against the running service and the real agent: two fresh keys run known snippets
 * (A: a success, a non-zero exit and an OOM kill; B: one success), then every report must show
 * exactly those runs for them, and a key's own report nothing but its own.
 */
public class UsageCases {

    private static final String ADMIN_USAGE = "v1/admin/usage";
    private static final String OWN_USAGE = "v1/usage";

    private final Api api;
    private IssuedKey a;
    private IssuedKey b;

    public UsageCases(Api api) {
        this.api = api;
    }

    public Stream<DynamicTest> tests() {
        return Stream.of(
                dynamicTest("runs are billed and counted per key", this::ownTotals),
                dynamicTest("a key sees its own usage only", this::isolation),
                dynamicTest("admin report per key: figures and totals", this::adminReportByKey),
                dynamicTest("admin report per day adds up to the same", this::adminReportByDay),
                dynamicTest("admin report as CSV", this::adminCsv),
                dynamicTest("own report as CSV", this::ownCsv),
                dynamicTest("a period before the runs is empty", this::emptyPeriod),
                dynamicTest("bad from, to or groupBy: 400 naming it", this::badParameters));
    }

    /** Issues the two keys and runs their snippets, once for all cases. */
    private synchronized void runSnippets() {
        if (a != null) {
            return;
        }
        IssuedKey first = issueKey(api, "usage-a");
        IssuedKey second = issueKey(api, "usage-b");
        run(first, "print('a')", "completed");
        run(first, "raise SystemExit(3)", "failed");
        run(first, "x = b'x' * (400 * 1024 * 1024)", "memory_limit");
        run(second, "print('b')", "completed");
        a = first;
        b = second;
    }

    void ownTotals() {
        runSnippets();
        JsonObject own = report(OWN_USAGE, a.key(), "");

        assertFigures(own.getJsonObject("totals"), 3, 2, 0, 1, "0.006");
        assertFigures(report(OWN_USAGE, b.key(), "").getJsonObject("totals"), 1, 0, 0, 0, "0.002");
        assertEquals("day", own.getString("groupBy"));
    }

    void isolation() {
        runSnippets();
        JsonArray rows = report(OWN_USAGE, a.key(), "?groupBy=key").getJsonArray("rows");

        assertEquals(1, rows.size(), rows.toString());
        assertEquals(a.id(), rows.getJsonObject(0).getString("keyId"));
        Reply csv = csv(OWN_USAGE + "?groupBy=key", b.key());
        assertFalse(csv.body().contains(a.id()), csv.body());
        assertTrue(csv.body().contains(b.id()), csv.body());
    }

    void adminReportByKey() {
        runSnippets();
        JsonObject report =
                report(ADMIN_USAGE, AdminTokens.token(), "?groupBy=key&from=" + yesterday());

        assertEquals("key", report.getString("groupBy"));
        JsonObject rowA = row(report, "keyId", a.id());
        assertFigures(rowA, 3, 2, 0, 1, "0.006");
        assertEquals("usage-a", rowA.getString("keyName"));
        assertEquals(a.prefix(), rowA.getString("keyPrefix"));
        assertFigures(row(report, "keyId", b.id()), 1, 0, 0, 0, "0.002");
        assertTotalsAddUp(report);
    }

    void adminReportByDay() {
        runSnippets();
        JsonObject byKey =
                report(ADMIN_USAGE, AdminTokens.token(), "?groupBy=key&from=" + yesterday());
        JsonObject byDay =
                report(ADMIN_USAGE, AdminTokens.token(), "?groupBy=day&from=" + yesterday());

        assertEquals(byKey.getJsonObject("totals"), byDay.getJsonObject("totals"));
        assertTotalsAddUp(byDay);
        Set<String> days = Set.of(yesterday(), LocalDate.now(ZoneOffset.UTC).toString());
        byDay.getJsonArray("rows")
                .forEach(row -> assertTrue(days.contains(row.asJsonObject().getString("day"))));
    }

    void adminCsv() {
        runSnippets();
        Reply csv = csv(ADMIN_USAGE + "?from=" + yesterday(), AdminTokens.token());

        assertEquals(200, csv.status(), csv.body());
        assertTrue(String.valueOf(csv.header("Content-Type")).startsWith("text/csv"));
        List<String> lines = csv.body().lines().toList();
        assertEquals(
                "keyId,keyName,keyPrefix,executions,failures,timeouts,memoryKills,totalCost,totalExecutionTimeMs",
                lines.get(0));
        assertTrue(
                lines.stream()
                        .anyMatch(
                                line ->
                                        line.startsWith(
                                                a.id()
                                                        + ",usage-a,"
                                                        + a.prefix()
                                                        + ",3,2,0,1,0.006,")),
                csv.body());
        assertTrue(
                lines.stream().anyMatch(line -> line.startsWith(b.id() + ",usage-b,")), csv.body());
        assertTrue(lines.get(lines.size() - 1).startsWith("total,,,"), csv.body());
    }

    void ownCsv() {
        runSnippets();
        Reply csv = csv(OWN_USAGE, a.key());

        List<String> lines = csv.body().lines().toList();
        assertEquals(
                "day,executions,failures,timeouts,memoryKills,totalCost,totalExecutionTimeMs",
                lines.get(0));
        assertTrue(lines.get(lines.size() - 1).startsWith("total,3,2,0,1,0.006,"), csv.body());
    }

    void emptyPeriod() {
        runSnippets();
        JsonObject report = report(OWN_USAGE, a.key(), "?from=2020-01-01&to=2020-12-31");

        assertEquals(0, report.getJsonArray("rows").size());
        assertFigures(report.getJsonObject("totals"), 0, 0, 0, 0, "0");
    }

    void badParameters() {
        assertBadParameter(api.get(ADMIN_USAGE + "?from=yesterday", AdminTokens.token()), "from");
        assertBadParameter(api.get(ADMIN_USAGE + "?to=2026-13-01", AdminTokens.token()), "to");
        assertBadParameter(
                api.get(ADMIN_USAGE + "?from=2026-11-26&to=2026-11-25", AdminTokens.token()), "to");
        assertBadParameter(
                api.get(ADMIN_USAGE + "?groupBy=language", AdminTokens.token()), "groupBy");
        IssuedKey key = issueKey(api, "usage-bad-parameters");
        assertBadParameter(api.get(OWN_USAGE + "?groupBy=week", key.key()), "groupBy");
    }

    private void run(IssuedKey key, String python, String status) {
        Reply reply = api.execute(key.key(), "python", python);
        assertEquals(200, reply.status(), reply.body());
        assertEquals(status, reply.json().getString("status"), reply.body());
    }

    private Reply csv(String path, String bearer) {
        return api.send(
                Api.withKey(api.request(path), bearer).header("Accept", "text/csv").GET().build());
    }

    private JsonObject report(String path, String bearer, String query) {
        Reply response = api.get(path + query, bearer);
        assertEquals(200, response.status(), response.body());
        return response.json();
    }

    private static JsonObject row(JsonObject report, String column, String value) {
        return report.getJsonArray("rows").stream()
                .map(JsonValue::asJsonObject)
                .filter(row -> row.getString(column).equals(value))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no row with " + column + " " + value + " in " + report));
    }

    private static void assertFigures(
            JsonObject figures,
            int executions,
            int failures,
            int timeouts,
            int memoryKills,
            String cost) {
        assertEquals(executions, figures.getInt("executions"), figures.toString());
        assertEquals(failures, figures.getInt("failures"), figures.toString());
        assertEquals(timeouts, figures.getInt("timeouts"), figures.toString());
        assertEquals(memoryKills, figures.getInt("memoryKills"), figures.toString());
        assertEquals(
                0,
                new BigDecimal(cost)
                        .compareTo(figures.getJsonNumber("totalCost").bigDecimalValue()),
                figures.toString());
        assertTrue(figures.getJsonNumber("totalExecutionTimeMs").bigDecimalValue().signum() >= 0);
    }

    private static void assertTotalsAddUp(JsonObject report) {
        JsonObject totals = report.getJsonObject("totals");
        for (String figure : List.of("executions", "failures", "timeouts", "memoryKills")) {
            int sum =
                    report.getJsonArray("rows").stream()
                            .mapToInt(row -> row.asJsonObject().getInt(figure))
                            .sum();
            assertEquals(totals.getInt(figure), sum, figure);
        }
        BigDecimal cost =
                report.getJsonArray("rows").stream()
                        .map(row -> row.asJsonObject().getJsonNumber("totalCost").bigDecimalValue())
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, cost.compareTo(totals.getJsonNumber("totalCost").bigDecimalValue()));
    }

    private static void assertBadParameter(Reply response, String field) {
        assertEquals(400, response.status(), response.body());
        assertEquals(field, response.json().getString("field"));
    }

    private static String yesterday() {
        return LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
    }
}
