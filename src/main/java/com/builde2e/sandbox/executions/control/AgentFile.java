package com.builde2e.sandbox.executions.control;

/**
 * A file in a run's working directory as the agent protocol carries it, in either direction: its
 * path relative to that directory, its size and its bytes in base64.
 */
public record AgentFile(String path, long sizeBytes, String content) {}
