/**
 * API keys: issuing, listing and revoking them (admin only), storing nothing but their SHA-256, and
 * the one authentication mechanism of the service, which accepts {@code Bearer uc-...} keys itself
 * (caller group {@code user}, principal name = the key's id) and hands every other request to
 * MicroProfile JWT (admin tokens).
 */
package com.builde2e.sandbox.apikeys;
