package com.builde2e.sandbox.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.builde2e.sandbox.it.Api;
import com.builde2e.sandbox.it.Api.Reply;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The web console as the service serves it (its behaviour in a browser is
 * scripts/test-console.sh's): the page at {@code /} and under {@code /api}, the assets it names,
 * each with the Content-Security-Policy, and nothing outside the bundle.
 */
public class ConsoleCases {

    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(assets/[^\"]+)\"");

    private final Api api;

    public ConsoleCases(Api api) {
        this.api = api;
    }

    public Stream<DynamicTest> tests() {
        return Stream.of(
                dynamicTest("the page at /, /api and /api/, without a credential", this::page),
                dynamicTest("every asset the page names, with its type and CSP", this::assets),
                dynamicTest("nothing outside the bundle is served", this::outsideBundle));
    }

    void page() {
        Reply root = api.get("", null);
        assertConsoleResponse(root, "text/html");
        assertTrue(root.body().contains("<label for=\"api-key\">API key</label>"), root.body());
        assertEquals("no-cache", root.header("Cache-Control"));
        for (String alias : List.of("api", "api/")) {
            Reply aliased = api.get(alias, null);
            assertConsoleResponse(aliased, "text/html");
            assertEquals(root.body(), aliased.body(), alias);
        }
    }

    void assets() {
        String page = api.get("", null).body();
        Matcher found = ASSET.matcher(page);
        int count = 0;
        while (found.find()) {
            String path = found.group(1);
            Reply asset = api.get(path, null);
            String type =
                    path.endsWith(".js")
                            ? "text/javascript"
                            : path.endsWith(".css") ? "text/css" : "image/svg+xml";
            assertConsoleResponse(asset, type);
            assertFalse(asset.body().isEmpty(), path);
            assertTrue(asset.header("Cache-Control").contains("immutable"), path);
            assertEquals(asset.body(), api.get("api/" + path, null).body(), "api/" + path);
            count++;
        }
        assertEquals(3, count, "a script, a stylesheet and an icon: " + page);
    }

    void outsideBundle() {
        for (String path :
                List.of(
                        "assets/..%2Findex.html",
                        "assets/..%2F..%2FMETA-INF%2Fmicroprofile-config.properties",
                        "assets/index.html",
                        "assets/missing.js",
                        "index.html")) {
            Reply reply = api.get(path, null);
            // 404 from the console, or 400 from the container for a path that leaves the root
            assertTrue(
                    reply.status() == 404 || reply.status() == 400,
                    path + ": " + reply.status() + " " + reply.body());
            assertFalse(reply.body().contains("sandbox."), path + ": " + reply.body());
        }
    }

    private static void assertConsoleResponse(Reply reply, String type) {
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.header("Content-Type").startsWith(type), reply.header("Content-Type"));
        String csp = reply.header("Content-Security-Policy");
        assertTrue(csp.startsWith("default-src 'none'; script-src 'self'; style-src 'self';"), csp);
        assertFalse(csp.contains("unsafe"), csp);
        assertEquals("nosniff", reply.header("X-Content-Type-Options"));
    }
}
