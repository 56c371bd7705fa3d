/**
 * What other components and callers use of usage: {@link
 * com.builde2e.sandbox.usage.boundary.Billing}, through which the executions component bills each
 * run it reports as a {@link com.builde2e.sandbox.usage.boundary.Charge}, and usage over HTTP:
 * {@code GET /v1/admin/usage} (every key, admins only) and {@code GET /v1/usage} (the calling key's
 * own usage), as JSON or CSV.
 */
package com.builde2e.sandbox.usage.boundary;
