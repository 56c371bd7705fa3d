package com.builde2e.sandbox.apikeys;

import static com.builde2e.sandbox.apikeys.AdminTokens.issueKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.builde2e.sandbox.apikeys.AdminTokens.IssuedKey;
import com.builde2e.sandbox.it.Api;
import com.builde2e.sandbox.it.Api.Reply;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Authentication and key administration against the running service: who gets in with what, and
 * what the admin API shows. Plain cases, run by the shared integration test as dynamic tests.
 */
public class ApiKeyCases {

    private static final String EXECUTE = "v1/code-sandbox/execute";
    private static final String KEYS = "v1/admin/api-keys";
    private static final String RUN = "{\"code\": \"print(1)\", \"language\": \"python\"}";

    /** No {@code Authorization} header. */
    private static final String ANONYMOUS = null;

    private final Api api;

    public ApiKeyCases(Api api) {
        this.api = api;
    }

    public Stream<DynamicTest> tests() {
        return Stream.of(
                dynamicTest("no key: 401 with a JSON error", this::noKey),
                dynamicTest("unknown key: 401", this::unknownKey),
                dynamicTest("malformed key or scheme: 401", this::malformedKey),
                dynamicTest("revoked key: 401 from the next request on", this::revokedKey),
                dynamicTest(
                        "user key on admin endpoints: 403, never 200",
                        this::userKeyOnAdminEndpoints),
                dynamicTest("admin token on a key's endpoints: 403", this::adminTokenIsNotAKey),
                dynamicTest("expired or tampered admin token: 401", this::badAdminTokens),
                dynamicTest("admin creates, lists and revokes a key", this::adminLifecycle),
                dynamicTest(
                        "admin key requests with a bad body: 400 naming the field",
                        this::badKeyRequests),
                dynamicTest("revoking an unknown key: 404", this::revokeUnknown));
    }

    void noKey() {
        assertUnauthorized(api.postJson(EXECUTE, ANONYMOUS, RUN));
        assertUnauthorized(api.get("v1/usage", ANONYMOUS));
        assertUnauthorized(api.get(KEYS, ANONYMOUS));
    }

    void unknownKey() {
        Reply response = api.postJson(EXECUTE, "uc-" + "x".repeat(43), RUN);

        assertUnauthorized(response);
        assertEquals("unknown API key", response.json().getString("error"));
    }

    void malformedKey() {
        assertUnauthorized(api.postJson(EXECUTE, "uc-short", RUN));
        assertUnauthorized(api.postJson(EXECUTE, "not-a-key", RUN));
        assertUnauthorized(api.get("v1/usage", "uc-" + "x".repeat(20) + "!!"));
    }

    void revokedKey() {
        IssuedKey key = issueKey(api, "revoked-key-case");
        assertEquals(200, api.get("v1/usage", key.key()).status());

        assertEquals(200, delete(KEYS + "/" + key.id(), AdminTokens.token()).status());

        Reply refused = api.postJson(EXECUTE, key.key(), RUN);
        assertUnauthorized(refused);
        assertEquals("this API key has been revoked", refused.json().getString("error"));
        assertUnauthorized(api.get("v1/usage", key.key()));
    }

    void userKeyOnAdminEndpoints() {
        IssuedKey key = issueKey(api, "user-on-admin-case");

        assertForbidden(api.get(KEYS, key.key()));
        assertForbidden(api.postJson(KEYS, key.key(), "{\"name\": \"escalated\"}"));
        assertForbidden(delete(KEYS + "/" + key.id(), key.key()));
        assertForbidden(api.get("v1/admin/usage", key.key()));
        // and it is still a working, unrevoked key
        assertEquals(200, api.get("v1/usage", key.key()).status());
    }

    void adminTokenIsNotAKey() {
        assertForbidden(api.get("v1/usage", AdminTokens.token()));
        assertForbidden(api.postJson(EXECUTE, AdminTokens.token(), RUN));
    }

    void badAdminTokens() {
        String expired = AdminTokens.mint(-120);
        String valid = AdminTokens.token();
        // a character inside the signature: the last one carries padding bits, and changing only
        // those (1 in 16)
        // left the signature valid
        int at = valid.length() - 10;
        char c = valid.charAt(at);
        String tampered = valid.substring(0, at) + (c == 'A' ? 'B' : 'A') + valid.substring(at + 1);

        assertUnauthorized(api.get(KEYS, expired));
        assertUnauthorized(api.get(KEYS, tampered));
        assertEquals(200, api.get(KEYS, valid).status());
    }

    void adminLifecycle() {
        String name = "lifecycle " + UUID.randomUUID();
        Reply created = api.postJson(KEYS, AdminTokens.token(), "{\"name\": \"" + name + "\"}");

        assertEquals(201, created.status(), created.body());
        JsonObject issued = created.json();
        String key = issued.getString("key");
        String id = issued.getString("id");
        assertTrue(key.matches("uc-[A-Za-z0-9_-]{43}"), key);
        assertEquals(key.substring(0, 11), issued.getString("prefix"));
        assertEquals(name, issued.getString("name"));
        assertEquals(200, api.get("v1/usage", key).status());

        Reply listing = api.get(KEYS, AdminTokens.token());
        assertEquals(200, listing.status());
        assertFalse(listing.body().contains(key), "a listing must never show a key");
        JsonObject listed = find(listing, id);
        assertEquals(name, listed.getString("name"));
        assertEquals(key.substring(0, 11), listed.getString("prefix"));
        assertEquals(
                issued.getString("createdAt").substring(0, 19),
                listed.getString("createdAt").substring(0, 19));
        assertTrue(listed.isNull("revokedAt"));
        assertFalse(listed.containsKey("key"));

        Reply revoked = delete(KEYS + "/" + id, AdminTokens.token());
        assertEquals(200, revoked.status());
        assertFalse(revoked.json().isNull("revokedAt"));
        assertFalse(find(api.get(KEYS, AdminTokens.token()), id).isNull("revokedAt"));
        assertUnauthorized(api.get("v1/usage", key));
    }

    void badKeyRequests() {
        assertBadRequest(api.postJson(KEYS, AdminTokens.token(), "{}"), "name");
        assertBadRequest(api.postJson(KEYS, AdminTokens.token(), "{\"name\": \"  \"}"), "name");
        assertBadRequest(api.postJson(KEYS, AdminTokens.token(), "{\"name\": 7}"), "name");
        assertBadRequest(
                api.postJson(KEYS, AdminTokens.token(), "{\"name\": \"" + "n".repeat(201) + "\"}"),
                "name");
        Reply malformed = api.postJson(KEYS, AdminTokens.token(), "{\"name\": ");
        assertEquals(400, malformed.status(), malformed.body());
        assertTrue(malformed.json().containsKey("error"));
    }

    void revokeUnknown() {
        Reply response = delete(KEYS + "/" + UUID.randomUUID(), AdminTokens.token());

        assertEquals(404, response.status());
        assertEquals("id", response.json().getString("field"));
    }

    private Reply delete(String path, String bearer) {
        return api.send(Api.withKey(api.request(path), bearer).DELETE().build());
    }

    private static JsonObject find(Reply listing, String id) {
        return Json.createReader(new StringReader(listing.body())).readArray().stream()
                .map(JsonValue::asJsonObject)
                .filter(key -> key.getString("id").equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("key " + id + " is not listed"));
    }

    private static void assertUnauthorized(Reply response) {
        assertEquals(401, response.status(), response.body());
        assertJsonError(response);
    }

    private static void assertForbidden(Reply response) {
        assertEquals(403, response.status(), response.body());
        assertJsonError(response);
    }

    private static void assertBadRequest(Reply response, String field) {
        assertEquals(400, response.status(), response.body());
        assertEquals(field, response.json().getString("field"));
        assertJsonError(response);
    }

    static void assertJsonError(Reply response) {
        assertTrue(
                String.valueOf(response.header("Content-Type")).startsWith("application/json"),
                response.headers().toString());
        assertFalse(response.json().getString("error").isBlank());
    }
}
