package com.builde2e.sandbox.apikeys.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.builde2e.sandbox.apikeys.entity.ApiKey;
import jakarta.persistence.PersistenceException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BearerAuthenticatorTest {

    private static final String VALID = "uc-validvalidvalidvalidvalid";
    private static final String REVOKED = "uc-revokedrevokedrevokedrevoked";
    private static final String UNKNOWN = "uc-unknownunknownunknownunknown";
    private static final long TTL_NANOS = 10_000_000_000L;
    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl";

    private final KeyHasher hasher = new KeyHasher();
    private final Map<String, ApiKey> stored = new HashMap<>();
    private final List<String> lookups = new ArrayList<>();
    private long nowNanos;
    private final VerifiedKeyCache verified = new VerifiedKeyCache(TTL_NANOS, () -> nowNanos);
    private final BearerAuthenticator authenticator =
            new BearerAuthenticator(
                    hasher,
                    verified,
                    hash -> {
                        lookups.add(hash);
                        return Optional.ofNullable(stored.get(hash));
                    });
    private ApiKey valid;

    @BeforeEach
    void storeKeys() {
        valid = store(VALID);
        store(REVOKED).revoke(OffsetDateTime.now(ZoneOffset.UTC));
    }

    @Test
    void knownKeyLogsInAsItsId() {
        Authentication result = authenticator.authenticate("Bearer " + VALID);

        assertEquals(new Authentication.Accepted(valid.getId()), result);
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertEquals(
                new Authentication.Accepted(valid.getId()),
                authenticator.authenticate("bearer " + VALID));
    }

    @Test
    void lookupIsByHashNeverByTheKeyItself() {
        authenticator.authenticate("Bearer " + VALID);

        assertEquals(List.of(hasher.hash(VALID)), lookups);
    }

    @Test
    void aKeyFoundValidIsAcceptedWithoutLookupUntilItsEntryExpires() {
        authenticator.authenticate("Bearer " + VALID);
        nowNanos += TTL_NANOS - 1;

        assertEquals(
                new Authentication.Accepted(valid.getId()),
                authenticator.authenticate("Bearer " + VALID));
        assertEquals(1, lookups.size());

        nowNanos += 1;
        authenticator.authenticate("Bearer " + VALID);
        assertEquals(2, lookups.size());
    }

    @Test
    void aRevocationInThisProcessIsSeenByTheNextRequest() {
        authenticator.authenticate("Bearer " + VALID);
        valid.revoke(OffsetDateTime.now(ZoneOffset.UTC));
        verified.forget(valid.getId());

        assertEquals(
                new Authentication.Rejected("this API key has been revoked"),
                authenticator.authenticate("Bearer " + VALID));
    }

    @Test
    void aLookupThatARevocationOvertookIsNotRemembered() {
        // the revocation commits while the lookup, which read the key still valid, is on its way
        // back
        BearerAuthenticator racing =
                new BearerAuthenticator(
                        hasher,
                        verified,
                        hash -> {
                            Optional<ApiKey> readBeforeRevocation = Optional.of(valid);
                            verified.forget(valid.getId());
                            return readBeforeRevocation;
                        });
        racing.authenticate("Bearer " + VALID);
        valid.revoke(OffsetDateTime.now(ZoneOffset.UTC));

        assertEquals(
                new Authentication.Rejected("this API key has been revoked"),
                authenticator.authenticate("Bearer " + VALID));
    }

    @Test
    void rejectedKeysAreLookedUpEveryTime() {
        authenticator.authenticate("Bearer " + REVOKED);
        authenticator.authenticate("Bearer " + REVOKED);
        authenticator.authenticate("Bearer " + UNKNOWN);
        authenticator.authenticate("Bearer " + UNKNOWN);

        assertEquals(4, lookups.size());
    }

    @Test
    void noHeaderIsLeftToJwt() {
        assertInstanceOf(Authentication.NotAnApiKey.class, authenticator.authenticate(null));
    }

    @Test
    void jwtIsLeftToJwt() {
        assertInstanceOf(
                Authentication.NotAnApiKey.class, authenticator.authenticate("Bearer " + JWT));
        assertTrue(lookups.isEmpty());
    }

    @Test
    void unknownKeyIsRejected() {
        assertEquals(
                new Authentication.Rejected("unknown API key"),
                authenticator.authenticate("Bearer " + UNKNOWN));
    }

    @Test
    void revokedKeyIsRejected() {
        assertEquals(
                new Authentication.Rejected("this API key has been revoked"),
                authenticator.authenticate("Bearer " + REVOKED));
    }

    @Test
    void storedHashThatDoesNotMatchIsRejected() {
        // a lookup that returns some other key (say, a case-insensitive collation) must not let the
        // caller in
        BearerAuthenticator careless =
                new BearerAuthenticator(hasher, verified, hash -> Optional.of(valid));

        assertInstanceOf(Authentication.Rejected.class, careless.authenticate("Bearer " + UNKNOWN));
    }

    @Test
    void failedLookupIsUnavailableNotRejected() {
        // the database being down is no fault of the caller's: answered as unavailable (503), never
        // as a bad key
        BearerAuthenticator outage =
                new BearerAuthenticator(
                        hasher,
                        verified,
                        hash -> {
                            throw new PersistenceException("Connection to 127.0.0.1:5432 refused");
                        });

        Authentication result = outage.authenticate("Bearer " + VALID);

        assertEquals(
                new Authentication.Unavailable(
                        "the API key cannot be checked right now; retry shortly"),
                result);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Bearer uc-short",
                "Bearer uc-has space in it and more",
                "Bearer uc-",
                "Bearer ",
                "Bearer not-a-key",
                "Bearer a.b",
                "Bearer uc-abc.def.ghi",
                "Bearer " + VALID + "!"
            })
    void malformedBearerIsRejectedWithoutLookup(String header) {
        Authentication result = authenticator.authenticate(header);

        assertInstanceOf(Authentication.Rejected.class, result);
        assertTrue(
                ((Authentication.Rejected) result).reason().startsWith("malformed API key"),
                result.toString());
        assertTrue(lookups.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic YWRtaW46YWRtaW4=", "Token " + VALID, VALID, "Bearer"})
    void otherSchemesAreRejected(String header) {
        assertEquals(
                new Authentication.Rejected("the Authorization header must be 'Bearer <API key>'"),
                authenticator.authenticate(header));
    }

    @Test
    void rejectionNeverEchoesTheKey() {
        Authentication result = authenticator.authenticate("Bearer " + UNKNOWN);

        assertTrue(!((Authentication.Rejected) result).reason().contains(UNKNOWN));
    }

    private ApiKey store(String key) {
        ApiKey apiKey =
                new ApiKey(
                        "test",
                        KeyFormat.visiblePrefix(key),
                        hasher.hash(key),
                        OffsetDateTime.now(ZoneOffset.UTC));
        stored.put(apiKey.getKeyHash(), apiKey);
        return apiKey;
    }
}
