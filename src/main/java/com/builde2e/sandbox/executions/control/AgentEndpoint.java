package com.builde2e.sandbox.executions.control;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the kata-agent listens, and how a connection to it is opened (kata-agent/PROTOCOL.md,
 * "Transport"): its Unix socket, guarded by file modes, or a network address whose connections
 * first prove the shared secret ({@link AgentHandshake}). Each run is its own connection; the
 * channels are interruptible, so a timeout's interrupt closes them.
 */
public sealed interface AgentEndpoint {

    /** A connected stream to the agent, past the hand-shake its address asks for. */
    SocketChannel open() throws IOException;

    /**
     * The agent's address from the service's settings: {@code sandbox.agent.url} ({@code
     * unix:///PATH}, {@code tcp://HOST:PORT} or {@code hvsock:///PATH:PORT}) when set, else the
     * Unix socket {@code sandbox.agent.socket}; a network address needs {@code
     * sandbox.agent.secret-file}.
     *
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    static AgentEndpoint configured(
            Optional<String> url, String socket, Optional<String> secretFile) {
        if (url.isEmpty()) {
            return new Unix(Path.of(socket));
        }
        return parse(url.get(), secretFile.map(file -> new AgentSecret(Path.of(file))));
    }

    static AgentEndpoint parse(String url, Optional<AgentSecret> secret) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw badUrl(url, e.getMessage());
        }
        String scheme = String.valueOf(uri.getScheme());
        if (scheme.equals("unix") && uri.getPath() != null && !uri.getPath().isEmpty()) {
            return new Unix(Path.of(uri.getPath()));
        }
        if (!scheme.equals("tcp") && !scheme.equals("hvsock")) {
            throw badUrl(url, "the scheme must be unix, tcp or hvsock");
        }
        if (scheme.equals("tcp")) {
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw badUrl(url, "tcp://HOST:PORT");
            }
            String host = uri.getHost();
            // an IPv6 literal comes back bracketed, as written
            boolean bracketed = host.startsWith("[") && host.endsWith("]");
            return new Tcp(
                    bracketed ? host.substring(1, host.length() - 1) : host,
                    uri.getPort(),
                    required(secret, url));
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        int colon = path.lastIndexOf(':');
        Path socket;
        int port;
        try {
            socket = Path.of(path.substring(0, colon));
            port = Integer.parseUnsignedInt(path.substring(colon + 1));
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw badUrl(url, "hvsock:///PATH:PORT");
        }
        return new HybridVsock(socket, port, required(secret, url));
    }

    private static AgentSecret required(Optional<AgentSecret> secret, String url) {
        return secret.orElseThrow(
                () ->
                        new IllegalArgumentException(
                                "SANDBOX_AGENT_URL "
                                        + url
                                        + " needs SANDBOX_AGENT_SECRET_FILE: the agent only serves"
                                        + " callers that prove its secret"));
    }

    private static IllegalArgumentException badUrl(String url, String why) {
        return new IllegalArgumentException("SANDBOX_AGENT_URL " + url + " is invalid: " + why);
    }

    /** What is done on a fresh channel before it is handed out. */
    @FunctionalInterface
    interface Preparation {
        void apply(SocketChannel channel) throws IOException;
    }

    /** The channel once prepared; closed if any step fails. */
    private static SocketChannel prepared(SocketChannel channel, Preparation preparation)
            throws IOException {
        try {
            preparation.apply(channel);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** The agent's Unix socket: who may connect is decided by its file mode and group. */
    record Unix(Path socket) implements AgentEndpoint {
        @Override
        public SocketChannel open() throws IOException {
            return prepared(
                    SocketChannel.open(StandardProtocolFamily.UNIX),
                    channel -> channel.connect(UnixDomainSocketAddress.of(socket)));
        }

        @Override
        public String toString() {
            return socket.toString();
        }
    }

    /** An agent reached over TCP, a guest's forwarded port for instance. */
    record Tcp(String host, int port, AgentSecret secret) implements AgentEndpoint {
        @Override
        public SocketChannel open() throws IOException {
            // read (and checked) before connecting: a bad secret file never reaches the agent
            byte[] key = secret.read();
            return prepared(
                    SocketChannel.open(),
                    channel -> {
                        channel.connect(new InetSocketAddress(host, port));
                        // a frame's 4-byte header and its body are two writes: no wait for an ACK
                        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        AgentHandshake.prove(channel, key);
                    });
        }

        @Override
        public String toString() {
            return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * A Firecracker guest's vsock port, through the VM's Unix socket: "CONNECT port" first, then
     * the hand-shake as over TCP.
     */
    record HybridVsock(Path socket, int port, AgentSecret secret) implements AgentEndpoint {
        @Override
        public SocketChannel open() throws IOException {
            byte[] key = secret.read();
            return prepared(
                    new Unix(socket).open(),
                    channel -> {
                        AgentHandshake.connectHybridVsock(channel, port);
                        AgentHandshake.prove(channel, key);
                    });
        }

        @Override
        public String toString() {
            return "hvsock://" + socket + ":" + Integer.toUnsignedString(port);
        }
    }
}
