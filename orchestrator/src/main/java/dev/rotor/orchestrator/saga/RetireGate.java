package dev.rotor.orchestrator.saga;

import java.time.Instant;

/**
 * Where a deferred retirement gated on use (catalog {@code retire-when}) stands: one immutable value, stored as a whole
 * with the rotation. The grace and max-grace are counted from the rotation's completion.
 *
 * @param deferredAt when the retirement was first deferred (retire-deferred was sent); null before
 * @param belowSince since when every probe found the share at or below max-share; null when the last was above or
 *     unknown
 * @param alertedAt when the alert-above milestone was sent; null before
 * @param share the share of use last probed (0 to 1); null when that probe gave no answer
 * @param probe what the last probe reported (never a response body)
 * @param checkedAt when the share was last probed
 * @param outcome how the gate ended: {@link #BY_SHARE}, {@link #AT_MAX_GRACE} or {@link #FORCED}; null while it waits
 */
public record RetireGate(Instant deferredAt, Instant belowSince, Instant alertedAt, Double share, String probe,
        Instant checkedAt, String outcome) {
    /** Retired because the share stayed at or below max-share for {@code for}. */
    public static final String BY_SHARE = "share";
    /** Retired because max-grace was over, whatever the share. */
    public static final String AT_MAX_GRACE = "max-grace";
    /** Retired because a responder forced it. */
    public static final String FORCED = "forced";
    /** Nothing probed yet. */
    public static final RetireGate NONE = new RetireGate(null, null, null, null, null, null, null);

    /** One probe's answer: the share (0 to 1), or null when it is not known; what the probe said. */
    public record Sample(Double share, String probe) {
    }

    RetireGate checked(Sample sample, Instant below, Instant now) {
        return new RetireGate(deferredAt, below, alertedAt, sample.share(), sample.probe(), now, outcome);
    }

    RetireGate deferred(Instant now) {
        return new RetireGate(now, belowSince, alertedAt, share, probe, checkedAt, outcome);
    }

    RetireGate alerted(Instant now) {
        return new RetireGate(deferredAt, belowSince, now, share, probe, checkedAt, outcome);
    }

    RetireGate ended(String how) {
        return new RetireGate(deferredAt, belowSince, alertedAt, share, probe, checkedAt, how);
    }
}
