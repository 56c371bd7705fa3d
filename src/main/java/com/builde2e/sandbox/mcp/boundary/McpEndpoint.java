package com.builde2e.sandbox.mcp.boundary;

import com.builde2e.sandbox.apikeys.boundary.ApiKeyRequired;
import com.builde2e.sandbox.platform.RequestSizeLimit;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.inject.Inject;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves MCP at {@value #PATH}: the SDK's Streamable HTTP transport, stateless (no {@code
 * Mcp-Session-Id}), registered as a servlet when the application starts, behind {@link
 * ApiKeyRequired}.
 *
 * <p>Stateless because {@code run_code} needs nothing from one call to the next and the server
 * never calls the client back: any instance of the service can answer any request (several may
 * share one database behind a load balancer), and no session is held in memory for a client that
 * never ends it. Per the transport's specification a GET (no server-initiated stream) and a DELETE
 * (no session to end) are answered 405. A request that carries an {@code Origin} header, which only
 * browsers send, is refused with 403: a web page must not reach a sandbox on its visitor's network
 * (DNS rebinding).
 */
@WebListener
public class McpEndpoint implements ServletContextListener {

    public static final String PATH = "/mcp";

    private static final String SERVLET = "mcp";

    @Inject RunCodeTool runCode;

    private McpStatelessSyncServer server;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        McpJsonMapper json = new JacksonMcpJsonMapper(JsonMapper.shared());
        HttpServletStatelessServerTransport transport =
                HttpServletStatelessServerTransport.builder()
                        .jsonMapper(json)
                        .messageEndpoint(PATH)
                        .contextExtractor(
                                request ->
                                        McpTransportContext.create(
                                                Map.of(
                                                        RunCodeTool.CALLER_KEY_ID,
                                                        UUID.fromString(
                                                                ApiKeyRequired.callerKeyId(
                                                                        request)))))
                        .securityValidator(
                                DefaultServerTransportSecurityValidator.builder().build())
                        .maxRequestSize(RequestSizeLimit.MAX_BODY_BYTES)
                        .build();
        server =
                McpServer.sync(transport)
                        .serverInfo("code-sandbox", "1")
                        .instructions(
                                "run_code runs one Python or JavaScript program per call in a fresh"
                                        + " sandbox; nothing is kept between calls.")
                        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                        .jsonMapper(json)
                        .jsonSchemaValidator(new DefaultJsonSchemaValidator())
                        // the execute endpoint's reader validates the arguments, as it does a body
                        .validateToolInputs(false)
                        // on the request's own thread, which carries the caller's login for the
                        // facade's role check
                        .immediateExecution(true)
                        .tools(runCode.specification(json))
                        .build();
        register(event.getServletContext(), transport);
    }

    private static void register(
            ServletContext context, HttpServletStatelessServerTransport transport) {
        ServletRegistration.Dynamic servlet = context.addServlet(SERVLET, transport);
        servlet.addMapping(PATH);
        servlet.setAsyncSupported(true);
        FilterRegistration.Dynamic keyRequired =
                context.addFilter(SERVLET + "-api-key", new ApiKeyRequired());
        keyRequired.addMappingForServletNames(null, false, SERVLET);
        keyRequired.setAsyncSupported(true);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (server != null) {
            server.closeGracefully();
        }
    }
}
