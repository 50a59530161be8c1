package org.khmerai.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.khmerai.audit.v1.AuditEvent;
import org.khmerai.audit.v1.Edge;

class AuditSpoolTest {

    @TempDir
    Path folder;

    @Test
    void eventsSurviveReopeningAndARecordTornByACrashIsDropped() throws Exception {
        Path file = folder.resolve("gateway.spool");
        AuditEvent first = event();
        AuditEvent second = event();
        try (AuditSpool spool = AuditSpool.open(file, 1 << 20)) {
            assertThat(spool.append(first)).isTrue();
            assertThat(spool.append(second)).isTrue();
        }
        Files.write(file, new byte[] {0, 0, 1, 0, 7, 7}, StandardOpenOption.APPEND); // half a record

        try (AuditSpool spool = AuditSpool.open(file, 1 << 20)) {
            assertThat(spool.depth()).isEqualTo(2);
            assertThat(spool.read().events()).containsExactly(first, second);
            AuditEvent third = event();
            spool.append(third);
            assertThat(spool.read().events()).containsExactly(first, second, third);
        }
    }

    @Test
    void aFullSpoolRefusesAndForwardedEventsAreGoneForGood() throws Exception {
        Path file = folder.resolve("segmentation.spool");
        AuditEvent event = event();
        long room = 2L * (event.getSerializedSize() + 8) + 4;
        try (AuditSpool spool = AuditSpool.open(file, room)) {
            assertThat(spool.append(event)).isTrue();
            assertThat(spool.append(event())).isTrue();
            assertThat(spool.append(event())).as("full").isFalse();
            AuditSpool.Batch batch = spool.read();
            AuditEvent later = event();
            spool.forwarded(new AuditSpool.Batch(batch.events().subList(0, 1), batch.start(),
                    batch.start() + event.getSerializedSize() + 8));
            assertThat(spool.read().events()).hasSize(1);
            spool.forwarded(spool.read());
            assertThat(spool.depth()).isZero();
            assertThat(Files.size(file)).as("emptied once all is forwarded").isZero();
            assertThat(spool.append(later)).isTrue();
        }
        try (AuditSpool spool = AuditSpool.open(file, room)) {
            assertThat(spool.read().events()).hasSize(1);
        }
    }

    @Test
    void oneSpoolHasOnePublisher() {
        Path file = folder.resolve("audit.spool");
        try (AuditSpool spool = AuditSpool.open(file, 1 << 20)) {
            assertThatThrownBy(() -> AuditSpool.open(file, 1 << 20)).hasMessageContaining("in use by another publisher");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static AuditEvent event() {
        return AuditEvents.begin(Instant.now(), "test", Edge.EDGE_SERVICE).setTenant("ministry").setPrincipal("p")
                .setMethod("m").setStatus("OK").build();
    }
}
