package com.builde2e.sandbox.executions.boundary;

import com.builde2e.sandbox.executions.control.AgentFile;
import com.builde2e.sandbox.executions.control.MimeTypes;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A regular file the run created or changed under its working directory. */
@Schema(name = "OutputFile")
@JsonbPropertyOrder({"path", "sizeBytes", "mimeType", "encoding", "content"})
public record OutputFile(
        @Schema(description = "relative to the working directory", example = "chart.png")
                String path,
        long sizeBytes,
        @Schema(
                        description =
                                "judged by the service from the file's first bytes (images, PDF,"
                                        + " archives), else from its extension",
                        example = "image/png")
                String mimeType,
        @Schema(enumeration = {"base64"}) String encoding,
        @Schema(description = "the file's bytes in base64") String content) {

    static OutputFile of(AgentFile file) {
        return new OutputFile(
                file.path(),
                file.sizeBytes(),
                MimeTypes.of(file.path(), file.content()),
                "base64",
                file.content());
    }
}
