/**
 * The billing record: one {@link com.builde2e.sandbox.usage.entity.UsageRecord} per run whose user
 * code started, holding what was used and what it cost, never the code or its output.
 */
package com.builde2e.sandbox.usage.entity;
