package com.builde2e.sandbox.apikeys.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.CallerPrincipal;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JwtContextTest {

    /** What the JWT mechanism handed on to the container. */
    private CredentialValidationResult notified;

    private final HttpMessageContext container =
            (HttpMessageContext)
                    Proxy.newProxyInstance(
                            getClass().getClassLoader(),
                            new Class<?>[] {HttpMessageContext.class},
                            (proxy, method, args) -> {
                                if (method.getName().equals("notifyContainerAboutLogin")) {
                                    notified = (CredentialValidationResult) args[0];
                                    return AuthenticationStatus.SUCCESS;
                                }
                                throw new UnsupportedOperationException(method.getName());
                            });

    @Test
    void adminTokenLogsInUnchanged() {
        CredentialValidationResult admin =
                new CredentialValidationResult(new CallerPrincipal("admin"), Set.of("admin"));

        new JwtContext(container).notifyContainerAboutLogin(admin);

        assertSame(admin, notified);
    }

    @Test
    void tokenNeverGetsTheGroupOfApiKeys() {
        CallerPrincipal caller = new CallerPrincipal("7347e76e-9613-4f6c-9087-78dcfccc25ed");

        new JwtContext(container)
                .notifyContainerAboutLogin(
                        new CredentialValidationResult(caller, Set.of("user", "admin")));

        assertEquals(Set.of("admin"), notified.getCallerGroups());
        assertSame(caller, notified.getCallerPrincipal());
        assertEquals(CredentialValidationResult.Status.VALID, notified.getStatus());
    }

    @Test
    void invalidTokenIsPassedOnAsInvalid() {
        new JwtContext(container)
                .notifyContainerAboutLogin(CredentialValidationResult.INVALID_RESULT);

        assertSame(CredentialValidationResult.INVALID_RESULT, notified);
    }
}
