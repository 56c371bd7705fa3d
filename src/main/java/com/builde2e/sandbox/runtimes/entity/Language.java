package com.builde2e.sandbox.runtimes.entity;

import com.builde2e.sandbox.platform.WireNames;
import java.util.Optional;

/**
 * The languages a snippet can be written in; callers and the agent name them {@code python} and
 * {@code javascript}.
 */
public enum Language {
    PYTHON,
    JAVASCRIPT;

    public String wireName() {
        return WireNames.of(this);
    }

    public static Optional<Language> fromWireName(String name) {
        return WireNames.find(Language.class, name);
    }
}
