package com.builde2e.sandbox.platform;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The names enum constants have on the wire (in JSON, in the agent protocol, in the database): the
 * constant's name in lower case ({@code TIMED_OUT} is {@code timed_out}).
 */
public final class WireNames {

    private WireNames() {}

    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} whose wire name is exactly {@code name} (case-sensitive). */
    public static <E extends Enum<E>> Optional<E> find(Class<E> type, String name) {
        return Arrays.stream(type.getEnumConstants()).filter(c -> of(c).equals(name)).findFirst();
    }

    /** For error messages: "python, javascript". */
    public static String list(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(WireNames::of)
                .collect(Collectors.joining(", "));
    }
}
