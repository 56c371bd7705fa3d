package com.builde2e.sandbox.platform;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;

/**
 * Serves every {@code /api/v1/...} path as {@code /v1/...}: the public documentation's examples use
 * the former, and one alias here keeps every resource declared once.
 */
@Provider
@PreMatching
public class ApiPrefixAlias implements ContainerRequestFilter {

    private static final String ALIAS = "api/";

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath(false);
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (!relative.startsWith(ALIAS + "v1/")) {
            return;
        }
        URI base = request.getUriInfo().getBaseUri();
        URI rewritten =
                UriBuilder.fromUri(request.getUriInfo().getRequestUri())
                        .replacePath(base.getRawPath() + relative.substring(ALIAS.length()))
                        .build();
        request.setRequestUri(base, rewritten);
    }
}
