package com.builde2e.sandbox.apikeys.control;

import java.util.regex.Pattern;

/**
 * What an API key looks like: {@code uc-} then 22 to 200 URL-safe characters. 22 base64url
 * characters are 132 bits, so even a key chosen by an operator ({@code SANDBOX_BOOTSTRAP_API_KEY})
 * cannot be short enough to guess, and the visible prefix (the first {@value #VISIBLE_CHARS}
 * characters) never gives most of a key away.
 */
public final class KeyFormat {

    public static final String PREFIX = "uc-";

    /** How many leading characters of a key are stored in clear and shown in listings. */
    public static final int VISIBLE_CHARS = PREFIX.length() + 8;

    public static final String DESCRIPTION =
            "'" + PREFIX + "' followed by 22 to 200 letters, digits, '-' or '_'";

    private static final Pattern WELL_FORMED =
            Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{22,200}");

    private KeyFormat() {}

    public static boolean isWellFormed(String key) {
        return key != null && WELL_FORMED.matcher(key).matches();
    }

    /** True for a bearer value meant as an API key, well-formed or not (as opposed to a JWT). */
    public static boolean claimsToBeKey(String token) {
        return token.startsWith(PREFIX);
    }

    public static String visiblePrefix(String key) {
        return key.substring(0, VISIBLE_CHARS);
    }
}
