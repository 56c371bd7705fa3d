package com.builde2e.sandbox.usage.boundary;

import com.builde2e.sandbox.usage.control.UsageReport;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/** Writes a {@link UsageReport} in the format the client accepts: JSON (preferred) or CSV. */
@Provider
@Produces({UsageReportWriter.JSON, UsageReportWriter.CSV})
public class UsageReportWriter implements MessageBodyWriter<UsageReport> {

    /** Preferred when the client accepts both (or anything). */
    static final String JSON = "application/json;qs=1";

    static final String CSV = "text/csv;qs=0.5";

    /** What a report holds, for the OpenAPI document. */
    static final String DESCRIPTION =
            "JSON: from, to, groupBy, totals and rows; each row has its group (keyId, "
                    + "keyName, keyPrefix, or day) and executions, failures (any run not completed with exit 0), timeouts, "
                    + "memoryKills, totalCost (USD) and totalExecutionTimeMs. CSV (Accept: text/csv): the same rows under a "
                    + "header line, then a total line";

    private static final MediaType CSV_TYPE = new MediaType("text", "csv");

    @Override
    public boolean isWriteable(
            Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return UsageReport.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(
            UsageReport report,
            Class<?> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, Object> headers,
            OutputStream out)
            throws IOException {
        boolean csv = mediaType.isCompatible(CSV_TYPE);
        if (csv) {
            headers.putSingle("Content-Type", CSV_TYPE.withCharset("UTF-8"));
        }
        String text = csv ? UsageReportCsv.of(report) : UsageReportJson.of(report).toString();
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
