/**
 * Usage reports: the period and grouping a caller asks for, the figures per key or per day and their totals, and
 * the report as JSON or CSV. The aggregation itself runs in the database (named queries on the usage record).
 */
package com.builde2e.sandbox.usage.control;
