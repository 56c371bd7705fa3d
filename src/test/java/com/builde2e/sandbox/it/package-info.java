/**
 * Integration tests over HTTP against the real WAR on Payara Micro, real PostgreSQL and the real
 * kata-agent. {@link com.builde2e.sandbox.it.SandboxIT} deploys once (Payara's boot is slow) and
 * runs the plain "cases" classes of each area as dynamic tests; add an area by writing a cases
 * class and one factory method there.
 */
package com.builde2e.sandbox.it;
