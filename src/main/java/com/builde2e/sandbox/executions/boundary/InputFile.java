package com.builde2e.sandbox.executions.boundary;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A file written into the run's working directory before the program starts. Once read by {@link
 * InputFilesReader}, {@code path} is normalised and {@code content} holds the bytes in base64
 * whatever the caller sent.
 */
@Schema(name = "InputFile")
public record InputFile(
        @Schema(
                        required = true,
                        description =
                                "relative to the working directory (the program's current"
                                        + " directory), segments separated by /; no absolute"
                                        + " path, no .. segment, at most "
                                        + InputFilesReader.MAX_PATH_BYTES
                                        + " bytes",
                        example = "data/in.csv")
                String path,
        @Schema(required = true, description = "the file's bytes, as encoding says") String content,
        @Schema(
                        type = SchemaType.STRING,
                        enumeration = {"utf-8", "base64"},
                        defaultValue = "utf-8")
                String encoding) {

    /** The size of the file, from its canonical base64 content. */
    public long sizeBytes() {
        int padding = content.endsWith("==") ? 2 : content.endsWith("=") ? 1 : 0;
        return content.length() / 4L * 3 - padding;
    }
}
