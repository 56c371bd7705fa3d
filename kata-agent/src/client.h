/* client.c: `kata-agent call`, a request to a serving agent (req NULL = ping). */
#ifndef KA_CLIENT_H
#define KA_CLIENT_H

#include "auth.h"
#include "request.h"
#include "transport_net.h"

struct client_target {
    struct net_address address;
    bool authenticate; /* prove the secret (and check the agent's proof) before the request */
    struct auth_secret secret;
};

int client_call(const struct client_target *t, const struct run_request *req);

#endif
