package dev.rotor.contracts.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The canonical JSON and the chain hash are a contract with every verifier outside Rotor: the expected values here
 * were computed with {@code printf '%s%s' "$PREV" "$JSON" | sha256sum}, not with this code.
 */
class AuditChainTest {
    static final UUID ROTATION = UUID.fromString("5b0c7f3e-2a51-4a8e-9c1d-0f6b2d9e4a10");
    static final String FIRST_JSON = "{\"at\":\"2026-11-22T02:00:00.123456Z\",\"clientAddress\":\"127.0.0.1\","
            + "\"detail\":{\"attempt\":1,\"direction\":\"FORWARD\",\"note\":\"a \\\"quoted\\\"\\nline\\u0001 ü\","
            + "\"step\":\"STAGE_SECRET\"},\"kind\":\"rotation-requested\",\"reason\":\"quarterly\","
            + "\"roles\":[\"operator\",\"viewer\"],\"rotationId\":\"5b0c7f3e-2a51-4a8e-9c1d-0f6b2d9e4a10\","
            + "\"secretId\":\"jwt-secret\",\"seq\":1,\"source\":\"rest\",\"subject\":\"alice\"}";
    static final String FIRST_HASH = "bd8f77242caf74d48f5f21e4fabb909b7ebb15b81a6ef2968af24917875d8459";
    static final String SECOND_HASH = "ec1449b6fe3b1fc2a6b7693970c40a45848fab77438ee2442470bcd5ae07c24a";

    static AuditEntry first() {
        // Detail given with spacing and keys out of order; nanoseconds beyond micros are dropped.
        return new AuditEntry(1, Instant.parse("2026-11-22T02:00:00.123456789Z"), "rotation-requested", "alice",
                List.of("viewer", "operator"), "rest", "quarterly", "127.0.0.1", "jwt-secret", ROTATION,
                "{ \"step\": \"STAGE_SECRET\", \"direction\": \"FORWARD\", \"attempt\": 1,"
                        + " \"note\": \"a \\\"quoted\\\"\\nline\\u0001 \\u00fc\" }");
    }

    static AuditEntry second() {
        return new AuditEntry(2, Instant.parse("2026-11-22T02:00:01Z"), "step-started", "orchestrator", List.of(),
                "engine", null, null, null, null, null);
    }

    @Test
    void canonicalJsonSortsKeysDropsWhitespaceAndNullsAndEscapesMinimally() {
        assertThat(AuditChain.canonicalJson(first())).isEqualTo(FIRST_JSON);
        assertThat(AuditChain.canonicalJson(second())).isEqualTo("{\"at\":\"2026-11-22T02:00:01.000000Z\","
                + "\"kind\":\"step-started\",\"roles\":[],\"seq\":2,\"source\":\"engine\","
                + "\"subject\":\"orchestrator\"}");
    }

    @Test
    void hashesChainFromSixtyFourZeros() {
        assertThat(AuditChain.GENESIS).hasSize(64).matches("0+");
        assertThat(AuditChain.hash(AuditChain.GENESIS, first())).isEqualTo(FIRST_HASH);
        assertThat(AuditChain.hash(FIRST_HASH, second())).isEqualTo(SECOND_HASH);
    }

    @Test
    void everyColumnIsCovered() {
        AuditEntry e = first();
        List<AuditEntry> changed = List.of(
                e.atSeq(3),
                new AuditEntry(1, e.at().plusNanos(1000), e.kind(), e.subject(), e.roles(), e.source(), e.reason(),
                        e.clientAddress(), e.secretId(), e.rotationId(), e.detail()),
                new AuditEntry(1, e.at(), "x", e.subject(), e.roles(), e.source(), e.reason(), e.clientAddress(),
                        e.secretId(), e.rotationId(), e.detail()),
                new AuditEntry(1, e.at(), e.kind(), "mallory", e.roles(), e.source(), e.reason(), e.clientAddress(),
                        e.secretId(), e.rotationId(), e.detail()),
                new AuditEntry(1, e.at(), e.kind(), e.subject(), List.of("viewer"), e.source(), e.reason(),
                        e.clientAddress(), e.secretId(), e.rotationId(), e.detail()),
                new AuditEntry(1, e.at(), e.kind(), e.subject(), e.roles(), "cli", e.reason(), e.clientAddress(),
                        e.secretId(), e.rotationId(), e.detail()),
                new AuditEntry(1, e.at(), e.kind(), e.subject(), e.roles(), e.source(), null, e.clientAddress(),
                        e.secretId(), e.rotationId(), e.detail()),
                new AuditEntry(1, e.at(), e.kind(), e.subject(), e.roles(), e.source(), e.reason(), "10.0.0.1",
                        e.secretId(), e.rotationId(), e.detail()),
                new AuditEntry(1, e.at(), e.kind(), e.subject(), e.roles(), e.source(), e.reason(), e.clientAddress(),
                        "other", e.rotationId(), e.detail()),
                new AuditEntry(1, e.at(), e.kind(), e.subject(), e.roles(), e.source(), e.reason(), e.clientAddress(),
                        e.secretId(), UUID.randomUUID(), e.detail()),
                new AuditEntry(1, e.at(), e.kind(), e.subject(), e.roles(), e.source(), e.reason(), e.clientAddress(),
                        e.secretId(), e.rotationId(), "{\"attempt\":2}"));
        for (AuditEntry c : changed) {
            assertThat(AuditChain.hash(AuditChain.GENESIS, c)).as("%s", c).isNotEqualTo(FIRST_HASH);
        }
    }

    @Test
    void detailIsAnObjectOfWholeNumbers() {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("z", List.of(1, "two", true));
        detail.put("a", null);
        assertThat(AuditChain.detail(detail)).isEqualTo("{\"a\":null,\"z\":[1,\"two\",true]}");
        assertThatThrownBy(() -> AuditChain.canonicalDetail("{\"rows\":1.5}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fraction");
        assertThatThrownBy(() -> AuditChain.canonicalDetail("[1]")).hasMessageContaining("object");
        assertThatThrownBy(() -> AuditChain.canonicalDetail("{nope")).hasMessageContaining("not JSON");
    }

    @Test
    void verifierAcceptsAnIntactChainAndNamesTheFirstEditedDeletedOrReorderedEntry() {
        List<ChainVerifier.Stored> chain = chain(8);
        ChainVerifier.Verdict ok = verify(chain, 8L);
        assertThat(ok.ok()).isTrue();
        assertThat(ok.count()).isEqualTo(8);
        assertThat(ok.headHash()).isEqualTo(chain.get(7).hash());

        List<ChainVerifier.Stored> edited = new ArrayList<>(chain);
        ChainVerifier.Stored third = edited.get(2);
        edited.set(2, new ChainVerifier.Stored(new AuditEntry(3, third.entry().at(), third.entry().kind(), "mallory",
                List.of(), "rest", null, null, null, null, null), third.prevHash(), third.hash()));
        assertThat(verify(edited, 8L).problems()).singleElement().asString().startsWith("entry 3 was edited");

        List<ChainVerifier.Stored> deleted = new ArrayList<>(edited);
        deleted.remove(5); // seq 6
        assertThat(verify(deleted, 8L).problems()).containsExactly(verify(edited, 8L).problems().get(0),
                "entry 6 was deleted: entry 7 follows entry 5");

        List<ChainVerifier.Stored> tail = new ArrayList<>(chain.subList(0, 6));
        assertThat(verify(tail, 8L).problems()).containsExactly("entries 7 to 8, the last ones, were deleted: the"
                + " chain ends at entry 6 but its head is entry 8");

        // Rows 4 and 5 swapped their seq: each hash matches its content at the other place.
        List<ChainVerifier.Stored> swapped = new ArrayList<>(chain);
        swapped.set(3, renumbered(chain.get(4), 4));
        swapped.set(4, renumbered(chain.get(3), 5));
        assertThat(verify(swapped, 8L).problems()).first().asString()
                .startsWith("entry 4 was reordered: it was written as entry 5");

        // Deleted and the rest renumbered, without rehashing: the renumbered entries no longer match.
        List<ChainVerifier.Stored> closed = new ArrayList<>(chain.subList(0, 2));
        for (int i = 3; i < 8; i++) {
            closed.add(renumbered(chain.get(i), i));
        }
        assertThat(verify(closed, 7L).problems()).first().asString()
                .startsWith("entry 3 was reordered: it was written as entry 4");
    }

    @Test
    void aCheckpointCatchesAChainRewrittenFromTheStart() {
        List<ChainVerifier.Stored> chain = chain(4);
        List<ChainVerifier.Stored> forged = chain(4, "forger");
        ChainVerifier v = new ChainVerifier().expect(3, chain.get(2).hash());
        forged.forEach(v::next);
        assertThat(v.finish(4L, forged.get(3).hash()).problems()).singleElement().asString()
                .startsWith("entry 3 differs from the published checkpoint");
    }

    private static ChainVerifier.Verdict verify(List<ChainVerifier.Stored> rows, Long head) {
        ChainVerifier v = new ChainVerifier();
        rows.forEach(v::next);
        return v.finish(head, null);
    }

    private static ChainVerifier.Stored renumbered(ChainVerifier.Stored row, long seq) {
        return new ChainVerifier.Stored(row.entry().atSeq(seq), row.prevHash(), row.hash());
    }

    static List<ChainVerifier.Stored> chain(int n) {
        return chain(n, "alice");
    }

    private static List<ChainVerifier.Stored> chain(int n, String subject) {
        List<ChainVerifier.Stored> out = new ArrayList<>();
        String prev = AuditChain.GENESIS;
        for (int i = 1; i <= n; i++) {
            AuditEntry e = new AuditEntry(i, Instant.parse("2026-11-22T02:00:00Z").plusSeconds(i), "step-started",
                    subject, List.of("operator"), "rest", null, null, "jwt-secret", ROTATION,
                    "{\"attempt\":" + i + "}");
            String hash = AuditChain.hash(prev, e);
            out.add(new ChainVerifier.Stored(e, prev, hash));
            prev = hash;
        }
        return out;
    }
}
