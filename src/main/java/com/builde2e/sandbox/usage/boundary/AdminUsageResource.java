package com.builde2e.sandbox.usage.boundary;

import com.builde2e.sandbox.usage.control.ReportGrouping;
import com.builde2e.sandbox.usage.control.UsageQuery;
import com.builde2e.sandbox.usage.control.UsageReport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

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
    public UsageReport report(@BeanParam UsageParams params) {
        return reports.report(UsageQuery.allKeys(params.period(), params.grouping(ReportGrouping.KEY)));
    }
}
