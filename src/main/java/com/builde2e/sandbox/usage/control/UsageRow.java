package com.builde2e.sandbox.usage.control;

import java.util.List;

/** One group of a usage report: the values of its grouping's columns, and its figures. */
public record UsageRow(List<String> group, UsageFigures figures) {}
