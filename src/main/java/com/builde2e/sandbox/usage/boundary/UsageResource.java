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

/** A key's own usage: the caller's key is the only one a report can cover here. */
@Path("v1/usage")
@RolesAllowed("user")
public class UsageResource {

    @Inject
    UsageReports reports;

    /** The same report as the admin one, for the calling key only, per day (default) or as one row per key. */
    @GET
    @Produces({UsageReportWriter.JSON, UsageReportWriter.CSV})
    @Operation(summary = "The calling key's own usage, per day (default) or per key: totals and rows, as JSON or CSV")
    @SecurityRequirement(name = "apiKey")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = UsageParams.FROM)
    @Parameter(name = "to", in = ParameterIn.QUERY, description = UsageParams.TO)
    @Parameter(name = "groupBy", in = ParameterIn.QUERY, description = UsageParams.GROUP_BY)
    @APIResponse(responseCode = "200", description = UsageReportWriter.DESCRIPTION)
    @APIResponse(responseCode = "400", description = "from, to or groupBy cannot be read (field names which)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public UsageReport report(@BeanParam UsageParams params, @Context SecurityContext caller) {
        UUID keyId = UUID.fromString(caller.getUserPrincipal().getName());
        return reports.report(UsageQuery.ownKey(params.period(), params.grouping(ReportGrouping.DAY), keyId));
    }
}
