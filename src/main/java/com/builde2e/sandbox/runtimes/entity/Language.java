package com.builde2e.sandbox.runtimes.entity;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The languages a snippet can be written in, by the name callers and the agent use for them. */
public enum Language {

    PYTHON("python"),
    JAVASCRIPT("javascript");

    private final String wireName;

    Language(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Language> fromWireName(String name) {
        return Arrays.stream(values()).filter(l -> l.wireName.equals(name)).findFirst();
    }

    /** For error messages: "python, javascript". */
    public static String wireNames() {
        return Arrays.stream(values()).map(Language::wireName).collect(Collectors.joining(", "));
    }
}
