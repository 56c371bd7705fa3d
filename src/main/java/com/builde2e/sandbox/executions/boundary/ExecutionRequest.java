package com.builde2e.sandbox.executions.boundary;

import com.builde2e.sandbox.runtimes.entity.Language;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A snippet to run, already checked by {@link ExecutionRequestReader}: code is a non-empty string
 * of at most {@value ExecutionRequestReader#MAX_CODE_BYTES} UTF-8 bytes; stdin is null when absent.
 */
@Schema(name = "ExecutionRequest")
public record ExecutionRequest(
        @Schema(
                        required = true,
                        description =
                                "the code to run, at most "
                                        + ExecutionRequestReader.MAX_CODE_BYTES
                                        + " UTF-8 bytes",
                        example = "print(sum(range(1, 101)))")
                String code,
        @Schema(
                        required = true,
                        type = SchemaType.STRING,
                        enumeration = {"python", "javascript"})
                Language language,
        @Schema(description = "standard input for the program; absent means an empty input")
                String stdin) {

    public int codeBytes() {
        return ExecutionRequestReader.utf8Length(code);
    }
}
