package com.builde2e.sandbox.apikeys.control;

import com.builde2e.sandbox.apikeys.entity.ApiKey;
import com.builde2e.sandbox.platform.Causes;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Decides from the {@code Authorization} header alone whether a request carries an acceptable API
 * key, a bad credential, or something for MicroProfile JWT. Kept free of servlet types so every
 * decision is unit-tested.
 */
public class BearerAuthenticator {

    private static final Logger LOG = Logger.getLogger(BearerAuthenticator.class.getName());
    private static final String SCHEME = "Bearer ";

    /**
     * Three base64url segments: the compact form of a signed JWT, the only other bearer value we
     * accept.
     */
    private static final Pattern JWT_SHAPE =
            Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private final KeyHasher hasher;
    private final VerifiedKeyCache verified;
    private final Function<String, Optional<ApiKey>> keysByHash;

    /**
     * @param keysByHash finds the stored key with a given {@link KeyHasher#hash}
     */
    public BearerAuthenticator(
            KeyHasher hasher,
            VerifiedKeyCache verified,
            Function<String, Optional<ApiKey>> keysByHash) {
        this.hasher = hasher;
        this.verified = verified;
        this.keysByHash = keysByHash;
    }

    public Authentication authenticate(String authorization) {
        if (authorization == null) {
            return new Authentication.NotAnApiKey();
        }
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return new Authentication.Rejected(
                    "the Authorization header must be 'Bearer <API key>'");
        }
        String token = authorization.substring(SCHEME.length()).strip();
        if (!KeyFormat.claimsToBeKey(token) && JWT_SHAPE.matcher(token).matches()) {
            return new Authentication.NotAnApiKey();
        }
        if (!KeyFormat.isWellFormed(token)) {
            return new Authentication.Rejected(
                    "malformed API key: expected " + KeyFormat.DESCRIPTION);
        }
        String keyHash = hasher.hash(token);
        // found by the digest of what was presented, as the database index finds it
        Optional<UUID> known = verified.find(keyHash);
        if (known.isPresent()) {
            return new Authentication.Accepted(known.get());
        }
        long revocations = verified.revocationsSoFar();
        Optional<ApiKey> stored;
        try {
            stored = keysByHash.apply(keyHash);
        } catch (RuntimeException e) {
            LOG.warning(() -> "API keys cannot be looked up: " + Causes.root(e));
            return new Authentication.Unavailable(
                    "the API key cannot be checked right now; retry shortly");
        }
        Authentication decision =
                stored.filter(key -> hasher.matches(token, key.getKeyHash()))
                        .map(BearerAuthenticator::judge)
                        .orElseGet(() -> new Authentication.Rejected("unknown API key"));
        if (decision instanceof Authentication.Accepted accepted) {
            verified.remember(keyHash, accepted.keyId(), revocations);
        }
        return decision;
    }

    private static Authentication judge(ApiKey key) {
        return key.isRevoked()
                ? new Authentication.Rejected("this API key has been revoked")
                : new Authentication.Accepted(key.getId());
    }
}
