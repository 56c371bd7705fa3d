"""A client of the agent's network transport (PROTOCOL.md, "Authentication"): the shared-secret hand-shake, then the
same frames as on the Unix socket. NetworkAgent has Server's connect/call/run, so cases written for a serve on a
socket run unchanged against an agent reached over TCP (a guest VM's forwarded port, say)."""

import hashlib
import hmac
import os
import socket

from .harness import FramedClient, expect

GREETING = b"KAAUTH1\n"
NONCE_BYTES = 32
PROOF_BYTES = 32
CLIENT_LABEL = b"kata-agent client proof"
AGENT_LABEL = b"kata-agent agent proof"


def proof(secret, label, agent_nonce, client_nonce):
    return hmac.new(secret, label + agent_nonce + client_nonce, hashlib.sha256).digest()


def read_secret(path):
    """The secret as both sides read it: the file's bytes without trailing whitespace."""
    with open(path, "rb") as f:
        return f.read().rstrip(b"\n\r \t")


def read_exactly(sock, n):
    """Up to n bytes: fewer only when the peer closed."""
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


def parse_tcp_url(url):
    if not url.startswith("tcp://"):
        raise ValueError(f"not a tcp:// address: {url}")
    host, _, port = url[len("tcp://"):].rpartition(":")
    return host.strip("[]"), int(port)


class NetworkAgent(FramedClient):
    """An agent at tcp://HOST:PORT whose secret is in secret_file."""

    def __init__(self, url, secret_file, timeout_s=60):
        self.url, self.secret_file, self.timeout_s = url, secret_file, timeout_s
        self.host, self.port = parse_tcp_url(url)
        self.secret = read_secret(secret_file)

    def raw(self):
        """A TCP connection that has not authenticated (yet)."""
        return socket.create_connection((self.host, self.port), timeout=self.timeout_s)

    def connect(self):
        """A connection past the hand-shake, the agent's own proof checked."""
        s = self.raw()
        challenge = read_exactly(s, len(GREETING) + NONCE_BYTES)
        expect(challenge[:len(GREETING)] == GREETING, f"the agent's greeting, got {challenge[:8]!r}")
        agent_nonce, client_nonce = challenge[len(GREETING):], os.urandom(NONCE_BYTES)
        s.sendall(client_nonce + proof(self.secret, CLIENT_LABEL, agent_nonce, client_nonce))
        theirs = read_exactly(s, PROOF_BYTES)
        expect(hmac.compare_digest(theirs, proof(self.secret, AGENT_LABEL, agent_nonce, client_nonce)),
               "the agent proves the secret back")
        return s
