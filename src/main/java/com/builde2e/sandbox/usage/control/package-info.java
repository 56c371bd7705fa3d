/**
 * Billing and usage reports: the price of a run and, for reading usage back, the period and
 * grouping a caller asks for and the figures per key or per day with their totals. The aggregation
 * itself runs in the database (named queries on the usage record).
 */
package com.builde2e.sandbox.usage.control;
