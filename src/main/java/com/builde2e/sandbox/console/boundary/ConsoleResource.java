package com.builde2e.sandbox.console.boundary;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Serves the console's page and its bundled assets, each with a Content-Security-Policy that lets
 * the page run only its own script and style and talk only to this service: no inline script or
 * style, no other origin, no framing. No credential is needed to load the console; it asks for an
 * API key or an admin token, which it keeps in the tab's sessionStorage.
 */
@Path("")
public class ConsoleResource {

    /** What the console may load and where it may connect: itself only (images it makes: blob:). */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
                    + "connect-src 'self'; base-uri 'none'; form-action 'none'; "
                    + "frame-ancestors 'none'";

    private static final String BUNDLE = "console/";

    /**
     * An asset's name: dot-separated words, so never a path ({@code /}) or a way up ({@code ..}).
     */
    private static final Pattern ASSET_NAME =
            Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.(js|css|svg|txt)");

    private static final Map<String, String> TYPES =
            Map.of(
                    "js", "text/javascript; charset=utf-8",
                    "css", "text/css; charset=utf-8",
                    "svg", "image/svg+xml",
                    "txt", "text/plain; charset=utf-8");

    /** The console's page; always revalidated, since it names the current build's assets. */
    @GET
    @Operation(hidden = true)
    public Response page() {
        return serve("index.html", "text/html; charset=utf-8", "no-cache");
    }

    /**
     * A bundled script, stylesheet or icon; its name carries its content hash, so it never changes.
     */
    @GET
    @Path("assets/{name}")
    @Operation(hidden = true)
    public Response asset(@PathParam("name") String name) {
        if (!ASSET_NAME.matcher(name).matches()) {
            throw new NotFoundException();
        }
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return serve("assets/" + name, TYPES.get(extension), "public, max-age=31536000, immutable");
    }

    private static Response serve(String file, String type, String caching) {
        InputStream content =
                Thread.currentThread().getContextClassLoader().getResourceAsStream(BUNDLE + file);
        if (content == null) {
            throw new NotFoundException();
        }
        return Response.ok(content, type)
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", caching)
                .build();
    }
}
