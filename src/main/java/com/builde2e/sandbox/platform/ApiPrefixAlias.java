package com.builde2e.sandbox.platform;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;

/**
 * Serves every {@code /api/...} path as {@code /...}: the public documentation's examples use
 * {@code /api/v1/...}, and the web console, whose URLs are relative to its page, works from {@code
 * /api/} as from {@code /}. One alias here keeps every resource declared once.
 */
@Provider
@PreMatching
public class ApiPrefixAlias implements ContainerRequestFilter {

    private static final String ALIAS = "api";

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath(false);
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (!relative.equals(ALIAS) && !relative.startsWith(ALIAS + "/")) {
            return;
        }
        String rest = relative.equals(ALIAS) ? "" : relative.substring(ALIAS.length() + 1);
        URI base = request.getUriInfo().getBaseUri();
        URI rewritten =
                UriBuilder.fromUri(request.getUriInfo().getRequestUri())
                        .replacePath(base.getRawPath() + rest)
                        .build();
        request.setRequestUri(base, rewritten);
    }
}
