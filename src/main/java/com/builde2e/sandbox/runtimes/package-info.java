/**
 * What the service offers to run: the languages and the runtime each maps to in the agent's jail.
 */
package com.builde2e.sandbox.runtimes;
