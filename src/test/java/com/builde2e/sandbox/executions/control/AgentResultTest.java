package com.builde2e.sandbox.executions.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.builde2e.sandbox.executions.entity.RunStatus;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class AgentResultTest {

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Test
    void readsEveryFieldOfARunResponse() {
        AgentResult result =
                AgentResult.from(
                        json(
                                """
                {"status":"memory_limit","exitCode":137,"signal":"SIGKILL","timedOut":false,
                 "stdout":"a\\u0000b","stderr":"MemoryError","stdoutBytes":3,"stderrBytes":11,
                 "outputTruncated":false,"executionTimeMs":95.23,"memoryUsageMb":256.00,"cpuTimeMs":80.1}"""));

        assertEquals(RunStatus.MEMORY_LIMIT, result.status());
        assertEquals(137, result.exitCode());
        assertEquals("SIGKILL", result.signal());
        assertEquals("a\u0000b", result.stdout());
        assertEquals(3, result.stdoutBytes());
        assertEquals(11, result.stderrBytes());
        assertEquals(new BigDecimal("95.23"), result.executionTimeMs());
        assertEquals(new BigDecimal("256.00"), result.memoryUsageMb());
        assertNull(result.error());
        assertTrue(result.status().started());
    }

    @Test
    void aRunThatNeverStartedNeedsOnlyStatusAndError() {
        AgentResult result =
                AgentResult.from(
                        json(
                                "{\"status\":\"rejected\",\"exitCode\":-1,\"error\":\"code too large\",\"errorField\":\"code\"}"));

        assertEquals(RunStatus.REJECTED, result.status());
        assertEquals("code", result.errorField());
        assertEquals(BigDecimal.ZERO, result.executionTimeMs());
        assertEquals("", result.stdout());
        assertNull(result.signal());
        assertFalse(result.status().started());
    }

    @Test
    void refusesAMissingOrUnknownStatus() {
        assertThrows(
                IllegalArgumentException.class, () -> AgentResult.from(json("{\"exitCode\":0}")));
        assertThrows(
                IllegalArgumentException.class,
                () -> AgentResult.from(json("{\"status\":\"exploded\"}")));
    }
}
