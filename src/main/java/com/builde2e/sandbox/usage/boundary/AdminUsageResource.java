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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** Usage of every key, for admins (JWT group {@code admin}). */
@Path("v1/admin/usage")
@RolesAllowed("admin")
public class AdminUsageResource {

    @Inject
    UsageReports reports;

    /**
     * Totals and rows (executions, failures, timeouts, memory kills, total cost, total execution time) per key
     * (default) or per day, as JSON or, with {@code Accept: text/csv}, as CSV.
     */
    @GET
    @Produces({UsageReportWriter.JSON, UsageReportWriter.CSV})
    @Operation(summary = "Usage of every key, per key (default) or per day: totals and rows, as JSON or CSV")
    @SecurityRequirement(name = "adminJwt")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = UsageParams.FROM)
    @Parameter(name = "to", in = ParameterIn.QUERY, description = UsageParams.TO)
    @Parameter(name = "groupBy", in = ParameterIn.QUERY, description = UsageParams.GROUP_BY)
    @APIResponse(responseCode = "200", description = UsageReportWriter.DESCRIPTION)
    @APIResponse(responseCode = "400", description = "from, to or groupBy cannot be read (field names which)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public UsageReport report(@BeanParam UsageParams params) {
        return reports.report(UsageQuery.allKeys(params.period(), params.grouping(ReportGrouping.KEY)));
    }
}
