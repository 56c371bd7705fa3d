/* client.c: `kata-agent call`, a request to a serving agent (req NULL = ping). */
#ifndef KA_CLIENT_H
#define KA_CLIENT_H

#include "request.h"

int client_call(const char *socket_path, const struct run_request *req);

#endif
