package com.builde2e.sandbox.apikeys.boundary;

import com.builde2e.sandbox.apikeys.control.Authentication;
import com.builde2e.sandbox.apikeys.control.BearerAuthenticator;
import com.builde2e.sandbox.apikeys.control.KeyHasher;
import com.builde2e.sandbox.apikeys.control.VerifiedKeyCache;
import com.builde2e.sandbox.platform.ApiError;
import com.builde2e.sandbox.platform.RetryDelays;
import com.builde2e.sandbox.platform.UnavailableBody;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.security.enterprise.AuthenticationException;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Set;

/**
 * The service's one authentication mechanism. Payara's MicroProfile JWT mechanism alone would turn
 * away every {@code Bearer uc-...} key before JAX-RS sees the request, and {@code @RolesAllowed} is
 * checked against the container login, so API keys must be accepted here, at the Jakarta Security
 * level: a valid key logs the caller in as its id with group {@code user}; a bad credential is
 * answered 401 with a JSON body, and a key that cannot be looked up (the database is down) 503 with
 * Retry-After, never 401 or 500; everything else (no header, a JWT) goes to Payara's JWT mechanism
 * through a {@link JwtContext}. Being an enabled alternative, this bean is the one Jakarta Security
 * picks over the JWT mechanism bean that {@code @LoginConfig} installs.
 */
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** The group of every API-key caller; execution endpoints require it. */
    public static final String USER_GROUP = "user";

    @Inject ApiKeys apiKeys;

    @Inject KeyHasher hasher;

    @Inject VerifiedKeyCache verifiedKeys;

    @Inject BeanManager beanManager;

    /** The endpoints that answer 503 in a shape of their own (the execute endpoint's, for one). */
    @Inject @Any Instance<UnavailableBody> ownUnavailableBodies;

    private BearerAuthenticator authenticator;
    private HttpAuthenticationMechanism jwt;
    private List<UnavailableBody> unavailableBodies;

    @PostConstruct
    void init() {
        authenticator = new BearerAuthenticator(hasher, verifiedKeys, apiKeys::findByHash);
        jwt = jwtMechanism();
        unavailableBodies = ownUnavailableBodies.stream().toList();
    }

    @Override
    public AuthenticationStatus validateRequest(
            HttpServletRequest request, HttpServletResponse response, HttpMessageContext context)
            throws AuthenticationException {
        Authentication decision = authenticator.authenticate(request.getHeader("Authorization"));
        if (decision instanceof Authentication.Accepted accepted) {
            return context.notifyContainerAboutLogin(
                    accepted.keyId().toString(), Set.of(USER_GROUP));
        }
        if (decision instanceof Authentication.Rejected rejected) {
            return FailureResponse.unauthorized(context, rejected.reason());
        }
        if (decision instanceof Authentication.Unavailable unavailable) {
            return FailureResponse.unavailable(
                    context,
                    unavailableBody(request, unavailable.reason()),
                    RetryDelays.UNAVAILABLE_SECONDS);
        }
        return jwt.validateRequest(request, response, new JwtContext(context));
    }

    /**
     * The body in the shape the requested endpoint answers every 503 with: its own, or an {@link
     * ApiError}.
     */
    private Object unavailableBody(HttpServletRequest request, String reason) {
        return unavailableBodies.stream()
                .flatMap(body -> body.forRequest(request.getRequestURI(), reason).stream())
                .findFirst()
                .orElseGet(() -> ApiError.of(reason));
    }

    /**
     * The mechanism {@code @LoginConfig(authMethod = "MP-JWT")} makes Payara add: the other bean of
     * this type.
     */
    private HttpAuthenticationMechanism jwtMechanism() {
        Bean<?> bean =
                beanManager
                        .getBeans(HttpAuthenticationMechanism.class, Any.Literal.INSTANCE)
                        .stream()
                        .filter(
                                candidate ->
                                        !candidate
                                                .getTypes()
                                                .contains(ApiKeyAuthenticationMechanism.class))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "no MicroProfile JWT authentication mechanism: the "
                                                        + "JAX-RS Application must be a CDI bean annotated @LoginConfig(authMethod = \"MP-JWT\")"));
        return (HttpAuthenticationMechanism)
                beanManager.getReference(
                        bean,
                        HttpAuthenticationMechanism.class,
                        beanManager.createCreationalContext(bean));
    }
}
