package com.builde2e.sandbox.apikeys.boundary;

import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContextWrapper;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import java.util.HashSet;
import java.util.Set;

/**
 * The context handed to Payara's JWT mechanism. Its refusal of a bad token gets the same JSON 401
 * as a bad key; and a token never logs in with group {@code user}, which belongs to API keys alone,
 * so that every {@code user} caller's name is a key id (what execution and usage endpoints rely
 * on).
 */
final class JwtContext extends HttpMessageContextWrapper {

    JwtContext(HttpMessageContext context) {
        super(context);
    }

    @Override
    public AuthenticationStatus responseUnauthorized() {
        return FailureResponse.unauthorized(getWrapped(), "invalid or expired token");
    }

    @Override
    public AuthenticationStatus notifyContainerAboutLogin(CredentialValidationResult result) {
        if (result.getStatus() != CredentialValidationResult.Status.VALID
                || !result.getCallerGroups().contains(ApiKeyAuthenticationMechanism.USER_GROUP)) {
            return super.notifyContainerAboutLogin(result);
        }
        Set<String> groups = new HashSet<>(result.getCallerGroups());
        groups.remove(ApiKeyAuthenticationMechanism.USER_GROUP);
        return super.notifyContainerAboutLogin(
                new CredentialValidationResult(
                        result.getIdentityStoreId(),
                        result.getCallerPrincipal(),
                        result.getCallerDn(),
                        result.getCallerUniqueId(),
                        groups));
    }
}
