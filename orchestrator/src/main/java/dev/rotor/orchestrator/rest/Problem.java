package dev.rotor.orchestrator.rest;

/** An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}). */
public record Problem(String type, String title, int status, String detail, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";

    /** Problem types are URNs of the form {@code urn:rotor:problem:<slug>}. */
    public static Problem of(int status, String slug, String title, String detail, String instance) {
        return new Problem("urn:rotor:problem:" + slug, title, status, detail, instance);
    }
}
