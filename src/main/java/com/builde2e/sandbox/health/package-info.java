/**
 * MicroProfile Health: live while the application runs; ready only when both the database and the
 * agent answer, so a load balancer or {@code make run} sends no traffic to an instance that cannot
 * serve it.
 */
package com.builde2e.sandbox.health;
