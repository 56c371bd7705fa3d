package com.builde2e.sandbox.usage.boundary;

import com.builde2e.sandbox.platform.ApiError;
import com.builde2e.sandbox.usage.control.ReportGrouping;
import com.builde2e.sandbox.usage.control.UsageQuery;
import com.builde2e.sandbox.usage.control.UsageReport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * Usage reports, as JSON or (with {@code Accept: text/csv}) CSV: every key's for admins ({@code
 * /v1/admin/usage}), and a key's own ({@code /v1/usage}), where the calling key is the only one a
 * report can cover. The more specific paths of the other resources under {@code v1} take precedence
 * over this class's.
 */
@Path("v1")
@Produces({UsageReportWriter.JSON, UsageReportWriter.CSV})
@APIResponse(responseCode = "200", description = UsageReportWriter.DESCRIPTION)
@APIResponse(
        responseCode = "400",
        description = "from, to or groupBy cannot be read (field names which)",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class UsageResource {

    @Inject UsageReports reports;

    /** Every key's usage, one row per key (default) or per day. */
    @GET
    @Path("admin/usage")
    @RolesAllowed("admin")
    @Operation(
            summary =
                    "Usage of every key, per key (default) or per day: totals and rows, as JSON or CSV")
    @SecurityRequirement(name = "adminJwt")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = UsageParams.FROM)
    @Parameter(name = "to", in = ParameterIn.QUERY, description = UsageParams.TO)
    @Parameter(name = "groupBy", in = ParameterIn.QUERY, description = UsageParams.GROUP_BY)
    public UsageReport allKeys(@BeanParam UsageParams params) {
        return reports.report(
                UsageQuery.allKeys(params.period(), params.grouping(ReportGrouping.KEY)));
    }

    /** The calling key's own usage, one row per day (default) or a single row for the key. */
    @GET
    @Path("usage")
    @RolesAllowed("user")
    @Operation(
            summary =
                    "The calling key's own usage, per day (default) or per key: totals and rows, as JSON or CSV")
    @SecurityRequirement(name = "apiKey")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = UsageParams.FROM)
    @Parameter(name = "to", in = ParameterIn.QUERY, description = UsageParams.TO)
    @Parameter(name = "groupBy", in = ParameterIn.QUERY, description = UsageParams.GROUP_BY)
    public UsageReport ownKey(@BeanParam UsageParams params, @Context SecurityContext caller) {
        UUID keyId = UUID.fromString(caller.getUserPrincipal().getName());
        return reports.report(
                UsageQuery.ownKey(params.period(), params.grouping(ReportGrouping.DAY), keyId));
    }
}
