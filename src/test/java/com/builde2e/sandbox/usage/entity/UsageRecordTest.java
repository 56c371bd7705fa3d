package com.builde2e.sandbox.usage.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UsageRecordTest {

    private final UUID keyId = UUID.randomUUID();
    private final UsageRecord record = UsageRecord.builder()
            .apiKeyId(keyId)
            .language("python")
            .status("timed_out")
            .exitCode(124)
            .timedOut(true)
            .executionTimeMs(new BigDecimal("10000.25"))
            .memoryUsageMb(new BigDecimal("8.45"))
            .codeBytes(8)
            .stdoutBytes(2)
            .stderrBytes(3)
            .costUsd(new BigDecimal("0.002"))
            .build();

    @Test
    void theInsertNamesThirteenColumnsAndThirteenParameters() {
        String columns = UsageRecord.INSERT.substring(UsageRecord.INSERT.indexOf('(') + 1,
                UsageRecord.INSERT.indexOf(')'));
        assertEquals(13, columns.split(",").length);
        assertEquals(13, UsageRecord.INSERT.chars().filter(c -> c == '?').count());
    }

    @Test
    void bindsEveryParameterInTheInsertsColumnOrder() throws Exception {
        Map<Integer, Object> bound = bind(record);

        assertEquals(13, bound.size());
        assertEquals(record.getId(), bound.get(1));
        assertEquals(keyId, bound.get(2));
        assertEquals("python", bound.get(3));
        assertEquals("timed_out", bound.get(4));
        assertEquals(124, bound.get(5));
        assertEquals(true, bound.get(6));
        assertEquals(new BigDecimal("10000.25"), bound.get(7));
        assertEquals(new BigDecimal("8.45"), bound.get(8));
        assertEquals(8, bound.get(9));
        assertEquals(2L, bound.get(10));
        assertEquals(3L, bound.get(11));
        assertEquals(new BigDecimal("0.002"), bound.get(12));
        assertInstanceOf(OffsetDateTime.class, bound.get(13));
    }

    /** Records the parameters a statement is given, by index; any other call on it fails the test. */
    private static Map<Integer, Object> bind(UsageRecord record) throws Exception {
        Map<Integer, Object> bound = new TreeMap<>();
        PreparedStatement statement = (PreparedStatement) Proxy.newProxyInstance(
                UsageRecordTest.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
                (proxy, method, args) -> {
                    if (!method.getName().startsWith("set") || args.length != 2) {
                        throw new AssertionError("unexpected call " + method.getName());
                    }
                    bound.put((Integer) args[0], args[1]);
                    return null;
                });
        record.bindInsert(statement);
        return bound;
    }
}
