/**
 * Usage over HTTP: {@code GET /v1/admin/usage} (every key, admins only) and {@code GET /v1/usage} (the calling
 * key's own usage), as JSON or CSV. Recording usage belongs to the executions component; this only reads it.
 */
package com.builde2e.sandbox.usage.boundary;
