/**
 * Running a snippet: the execute endpoint, the facade that hands the run to the kata-agent over its
 * Unix socket (guarded by a deadline and a limit on runs at once), the mapping of the agent's
 * result to the public response, and the billing of every run that started (through the usage
 * component's Billing).
 */
package com.builde2e.sandbox.executions;
