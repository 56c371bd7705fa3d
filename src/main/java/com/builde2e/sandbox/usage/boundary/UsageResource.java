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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;

/** A key's own usage: the caller's key is the only one a report can cover here. */
@Path("v1/usage")
@RolesAllowed("user")
public class UsageResource {

    @Inject
    UsageReports reports;

    /** The same report as the admin one, for the calling key only, per day (default) or as one row per key. */
    @GET
    @Produces({UsageReportWriter.JSON, UsageReportWriter.CSV})
    public UsageReport report(@BeanParam UsageParams params, @Context SecurityContext caller) {
        UUID keyId = UUID.fromString(caller.getUserPrincipal().getName());
        return reports.report(UsageQuery.ownKey(params.period(), params.grouping(ReportGrouping.DAY), keyId));
    }
}
