package dev.rotor.contracts.catalog;

/**
 * How new versions are generated.
 *
 * @param type {@code hex}, {@code base64}, {@code alnum} or {@code password}
 * @param bytes random bytes for {@code hex} and {@code base64}
 * @param length characters for {@code alnum} and {@code password}
 * @param exclude characters a {@code password} must not contain (URL- or shell-safe values)
 */
public record GeneratorSpec(String type, Integer bytes, Integer length, String exclude) {
}
