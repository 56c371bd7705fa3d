package com.builde2e.sandbox.executions.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.builde2e.sandbox.platform.RequestRefusedException;
import com.builde2e.sandbox.platform.RequestRefusedException.Reason;
import com.builde2e.sandbox.runtimes.entity.Language;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExecutionRequestReaderTest {

    private final ExecutionRequestReader reader = new ExecutionRequestReader();

    private ExecutionRequest parse(String body) {
        return reader.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsAValidRequest() {
        ExecutionRequest request =
                parse(
                        "{\"code\":\"print(1)\",\"language\":\"python\",\"stdin\":\"x\\n\",\"extra\":1}");
        assertEquals("print(1)", request.code());
        assertEquals(Language.PYTHON, request.language());
        assertEquals("x\n", request.stdin());
    }

    @Test
    void absentOrNullStdinIsNull() {
        assertNull(parse("{\"code\":\"1\",\"language\":\"javascript\"}").stdin());
        assertNull(parse("{\"code\":\"1\",\"language\":\"javascript\",\"stdin\":null}").stdin());
    }

    @ParameterizedTest(name = "{0} -> 400 field {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "none",
            value = {
                "{\"code\":                                        | none",
                "[1, 2]                                            | none",
                "''                                                | none",
                "\"code\"                                          | none",
                "{\"language\":\"python\"}                         | code",
                "{\"code\":null,\"language\":\"python\"}           | code",
                "{\"code\":\"\",\"language\":\"python\"}           | code",
                "{\"code\":42,\"language\":\"python\"}             | code",
                "{\"code\":[\"print(1)\"],\"language\":\"python\"} | code",
                "{\"code\":\"1\"}                                  | language",
                "{\"code\":\"1\",\"language\":\"ruby\"}            | language",
                "{\"code\":\"1\",\"language\":\"Python\"}          | language",
                "{\"code\":\"1\",\"language\":true}                | language",
                "{\"code\":\"1\",\"language\":\"python\",\"stdin\":5} | stdin",
            })
    void refusesBadInputNamingTheField(String body, String field) {
        RequestRefusedException e =
                assertThrows(
                        RequestRefusedException.class, () -> parse(body.equals("''") ? "" : body));
        assertEquals(Reason.INVALID, e.reason());
        assertEquals(field, e.body().field());
    }

    @Test
    void acceptsCodeOfExactlyTheLimit() {
        String code = "#".repeat(ExecutionRequestReader.MAX_CODE_BYTES);
        assertEquals(ExecutionRequestReader.MAX_CODE_BYTES, parse(body(code)).codeBytes());
    }

    @Test
    void countsTheLimitInUtf8BytesNotCharacters() {
        // 34134 euro signs are 34134 characters but 102402 bytes
        String code = "\u20ac".repeat(34_134);
        RequestRefusedException e =
                assertThrows(RequestRefusedException.class, () -> parse(body(code)));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertEquals("code", e.body().field());
    }

    private static String body(String code) {
        return "{\"code\":\"" + code + "\",\"language\":\"python\"}";
    }
}
