/* `kata-agent call`: one request to a serving agent, the response printed as it came. For the benchmark (no
 * interpreter start-up in the way) and for poking a live agent from a shell. */
#include "client.h"

#include "frame.h"
#include "request.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A stream to the agent, past the hand-shake where the address asks for one; -1 with the reason printed. */
static int open_stream(const struct client_target *t)
{
    struct ka_error e = {{0}};
    int fd = transport_net_connect(&t->address, &e);
    if (fd >= 0 && t->authenticate && auth_call(fd, &t->secret, &e) < 0) {
        close(fd);
        fd = -1;
    }
    if (fd < 0)
        fprintf(stderr, "kata-agent: %s\n", e.msg);
    return fd;
}

static json_t *build_request(const struct run_request *req)
{
    if (req == NULL)
        return json_pack("{s:s}", "op", "ping");
    json_t *o = json_pack("{s:s, s:s, s:s%}", "op", "run", "language", request_language_name(req->language), "code",
                          req->code, req->code_bytes);
    if (o != NULL && req->stdin_data != NULL)
        json_object_set_new(o, "stdin", json_stringn(req->stdin_data, req->stdin_bytes));
    return o;
}

int client_call(const struct client_target *t, const struct run_request *req)
{
    json_t *o = build_request(req);
    char *text = o == NULL ? NULL : json_dumps(o, JSON_COMPACT);
    json_decref(o);
    int fd = text == NULL ? -1 : open_stream(t);
    char *reply = NULL;
    size_t len = 0;
    int rc = 1;
    if (text == NULL)
        fprintf(stderr, "kata-agent: cannot encode the request (is the code valid UTF-8?)\n");
    else if (fd < 0)
        ; /* open_stream said why */
    else if (frame_write(fd, text, strlen(text)) < 0 || frame_read(fd, &reply, &len) != FRAME_OK)
        fprintf(stderr, "kata-agent: no response from the agent\n");
    else
        rc = printf("%s\n", reply) < 0;
    if (fd >= 0)
        close(fd);
    free(text);
    free(reply);
    return rc;
}
