/**
 * The MCP server ({@code /mcp}, the Model Context Protocol's Streamable HTTP transport, built on
 * the official MCP Java SDK): one tool, {@code run_code}, whose arguments are an execute request
 * and whose result carries the execute response. A call goes through the executions component
 * exactly as the execute endpoint does (validation, the agent, billing); this component only
 * translates between MCP and that facade. Nothing else depends on it.
 */
package com.builde2e.sandbox.mcp;
