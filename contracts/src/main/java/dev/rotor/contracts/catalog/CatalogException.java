package dev.rotor.contracts.catalog;

import java.util.List;

/** A catalog that cannot be used. The message lists every problem, each naming the entry and the field. */
public class CatalogException extends RuntimeException {
    private final List<String> problems;

    public CatalogException(String source, List<String> problems) {
        super("invalid catalog " + source + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code secrets[<id>].<field>: <what is wrong>}. */
    public List<String> problems() {
        return problems;
    }
}
