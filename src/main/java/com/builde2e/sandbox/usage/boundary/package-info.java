/**
 * Usage over HTTP: {@code GET /v1/admin/usage} (every key, admins only) and {@code GET /v1/usage} (the calling
 * key's own usage), as JSON or CSV. Runs are recorded by the executions component through the usage ledger; this
 * boundary only reads what was recorded.
 */
package com.builde2e.sandbox.usage.boundary;
