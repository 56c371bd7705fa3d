package com.builde2e.sandbox.platform;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/**
 * The REST API at the root: {@code /v1/...}, also reachable as {@code /api/v1/...} (see {@link
 * ApiPrefixAlias}). A CDI bean because Payara ignores security annotations such as
 * {@code @LoginConfig} on an Application that is not.
 */
@ApplicationScoped
@ApplicationPath("/")
@DeclareRoles({"user", "admin"})
// admin tokens; API keys are accepted by
// com.builde2e.sandbox.apikeys.boundary.ApiKeyAuthenticationMechanism
@LoginConfig(authMethod = "MP-JWT")
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Code Sandbox API",
                        version = "1",
                        description =
                                "Runs Python and JavaScript snippets in an isolated jail without network access."))
public class SandboxApplication extends Application {}
