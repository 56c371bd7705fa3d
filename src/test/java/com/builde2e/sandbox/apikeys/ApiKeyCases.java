package com.builde2e.sandbox.apikeys;

import static com.builde2e.sandbox.apikeys.ApiClient.ANONYMOUS;
import static com.builde2e.sandbox.apikeys.ApiClient.adminToken;
import static com.builde2e.sandbox.apikeys.ApiClient.array;
import static com.builde2e.sandbox.apikeys.ApiClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.builde2e.sandbox.apikeys.ApiClient.IssuedKey;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Authentication and key administration against the running service: who gets in with what, and what the admin
 * API shows. Plain cases, run by the shared integration test as dynamic tests.
 */
public class ApiKeyCases {

    private static final String EXECUTE = "v1/code-sandbox/execute";
    private static final String KEYS = "v1/admin/api-keys";
    private static final String RUN = "{\"code\": \"print(1)\", \"language\": \"python\"}";

    private final ApiClient api;

    public ApiKeyCases(URI base) {
        this.api = new ApiClient(base);
    }

    public Stream<DynamicTest> tests() {
        return Stream.of(
                dynamicTest("no key: 401 with a JSON error", this::noKey),
                dynamicTest("unknown key: 401", this::unknownKey),
                dynamicTest("malformed key or scheme: 401", this::malformedKey),
                dynamicTest("revoked key: 401 from the next request on", this::revokedKey),
                dynamicTest("user key on admin endpoints: 403, never 200", this::userKeyOnAdminEndpoints),
                dynamicTest("admin token on a key's endpoints: 403", this::adminTokenIsNotAKey),
                dynamicTest("expired or tampered admin token: 401", this::badAdminTokens),
                dynamicTest("admin creates, lists and revokes a key", this::adminLifecycle),
                dynamicTest("admin key requests with a bad body: 400 naming the field", this::badKeyRequests),
                dynamicTest("revoking an unknown key: 404", this::revokeUnknown));
    }

    void noKey() {
        assertUnauthorized(api.post(EXECUTE, ANONYMOUS, RUN));
        assertUnauthorized(api.get("v1/usage", ANONYMOUS));
        assertUnauthorized(api.get(KEYS, ANONYMOUS));
    }

    void unknownKey() {
        HttpResponse<String> response = api.post(EXECUTE, "uc-" + "x".repeat(43), RUN);

        assertUnauthorized(response);
        assertEquals("unknown API key", object(response).getString("error"));
    }

    void malformedKey() {
        assertUnauthorized(api.post(EXECUTE, "uc-short", RUN));
        assertUnauthorized(api.post(EXECUTE, "not-a-key", RUN));
        assertUnauthorized(api.get("v1/usage", "uc-" + "x".repeat(20) + "!!"));
    }

    void revokedKey() {
        IssuedKey key = api.issueKey("revoked-key-case");
        assertEquals(200, api.get("v1/usage", key.key()).statusCode());

        assertEquals(200, api.delete(KEYS + "/" + key.id(), adminToken()).statusCode());

        HttpResponse<String> refused = api.post(EXECUTE, key.key(), RUN);
        assertUnauthorized(refused);
        assertEquals("this API key has been revoked", object(refused).getString("error"));
        assertUnauthorized(api.get("v1/usage", key.key()));
    }

    void userKeyOnAdminEndpoints() {
        IssuedKey key = api.issueKey("user-on-admin-case");

        assertForbidden(api.get(KEYS, key.key()));
        assertForbidden(api.post(KEYS, key.key(), "{\"name\": \"escalated\"}"));
        assertForbidden(api.delete(KEYS + "/" + key.id(), key.key()));
        assertForbidden(api.get("v1/admin/usage", key.key()));
        // and it is still a working, unrevoked key
        assertEquals(200, api.get("v1/usage", key.key()).statusCode());
    }

    void adminTokenIsNotAKey() {
        assertForbidden(api.get("v1/usage", adminToken()));
        assertForbidden(api.post(EXECUTE, adminToken(), RUN));
    }

    void badAdminTokens() {
        String expired = ApiClient.mintAdminToken(-120);
        String valid = adminToken();
        char last = valid.charAt(valid.length() - 1);
        String tampered = valid.substring(0, valid.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertUnauthorized(api.get(KEYS, expired));
        assertUnauthorized(api.get(KEYS, tampered));
        assertEquals(200, api.get(KEYS, valid).statusCode());
    }

    void adminLifecycle() {
        String name = "lifecycle " + UUID.randomUUID();
        HttpResponse<String> created = api.post(KEYS, adminToken(), "{\"name\": \"" + name + "\"}");

        assertEquals(201, created.statusCode(), created.body());
        JsonObject issued = object(created);
        String key = issued.getString("key");
        String id = issued.getString("id");
        assertTrue(key.matches("uc-[A-Za-z0-9_-]{43}"), key);
        assertEquals(key.substring(0, 11), issued.getString("prefix"));
        assertEquals(name, issued.getString("name"));
        assertEquals(200, api.get("v1/usage", key).statusCode());

        HttpResponse<String> listing = api.get(KEYS, adminToken());
        assertEquals(200, listing.statusCode());
        assertFalse(listing.body().contains(key), "a listing must never show a key");
        JsonObject listed = find(listing, id);
        assertEquals(name, listed.getString("name"));
        assertEquals(key.substring(0, 11), listed.getString("prefix"));
        assertEquals(issued.getString("createdAt").substring(0, 19), listed.getString("createdAt").substring(0, 19));
        assertTrue(listed.isNull("revokedAt"));
        assertFalse(listed.containsKey("key"));

        HttpResponse<String> revoked = api.delete(KEYS + "/" + id, adminToken());
        assertEquals(200, revoked.statusCode());
        assertFalse(object(revoked).isNull("revokedAt"));
        assertFalse(find(api.get(KEYS, adminToken()), id).isNull("revokedAt"));
        assertUnauthorized(api.get("v1/usage", key));
    }

    void badKeyRequests() {
        assertBadRequest(api.post(KEYS, adminToken(), "{}"), "name");
        assertBadRequest(api.post(KEYS, adminToken(), "{\"name\": \"  \"}"), "name");
        assertBadRequest(api.post(KEYS, adminToken(), "{\"name\": 7}"), "name");
        assertBadRequest(api.post(KEYS, adminToken(), "{\"name\": \"" + "n".repeat(201) + "\"}"), "name");
        HttpResponse<String> malformed = api.post(KEYS, adminToken(), "{\"name\": ");
        assertEquals(400, malformed.statusCode(), malformed.body());
        assertTrue(object(malformed).containsKey("error"));
    }

    void revokeUnknown() {
        HttpResponse<String> response = api.delete(KEYS + "/" + UUID.randomUUID(), adminToken());

        assertEquals(404, response.statusCode());
        assertEquals("id", object(response).getString("field"));
    }

    private static JsonObject find(HttpResponse<String> listing, String id) {
        return array(listing).stream()
                .map(JsonValue::asJsonObject)
                .filter(key -> key.getString("id").equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("key " + id + " is not listed"));
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertEquals(401, response.statusCode(), response.body());
        assertJsonError(response);
    }

    private static void assertForbidden(HttpResponse<String> response) {
        assertEquals(403, response.statusCode(), response.body());
        assertJsonError(response);
    }

    private static void assertBadRequest(HttpResponse<String> response, String field) {
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(field, object(response).getString("field"));
        assertJsonError(response);
    }

    static void assertJsonError(HttpResponse<String> response) {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        assertFalse(object(response).getString("error").isBlank());
    }
}
