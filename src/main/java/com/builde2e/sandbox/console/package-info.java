/**
 * The web console at {@code GET /}: a playground, the key's usage and key administration in the
 * browser. Its files are bundled from {@code console/} at build time into the WAR's class path
 * ({@code console/index.html}, {@code console/assets/...}); the page calls the public API with
 * relative URLs, so it works at {@code /} and under {@code /api/} alike.
 */
package com.builde2e.sandbox.console;
