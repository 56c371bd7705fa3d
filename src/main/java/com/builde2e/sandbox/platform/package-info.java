/**
 * What every component stands on: the JAX-RS application, the one JSON error body and the mappers
 * that turn every failure into it (never a stack trace), the request body size cap, and the schema
 * migration that runs before anything touches the database (whose data source is the server's:
 * server-config/post-boot-commands.asadmin).
 */
package com.builde2e.sandbox.platform;
