package io.qcfg.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.internal.audit.AuditEvent.Type;
import io.qcfg.internal.history.VersionCounter;
import io.qcfg.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What verify finds beyond the chain: versions that go backwards (issue 15 item 9), lines cut off
 * the end that the version counter still knows, and anchors kept elsewhere (item 12).
 */
class AuditVersionsTest {
  @TempDir Path state;

  @BeforeEach
  void quiet() {
    Log.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreLog() {
    Log.redirect(System.err);
  }

  static AuditEvent applied(long from, long to) {
    return AuditEvent.of(Type.APPLIED, "qcfg", "file-change").withVersions(from, to);
  }

  void appendVersions(long... versions) {
    AuditLog audit = AuditLog.open(state, 1 << 20, 5);
    for (long v : versions) {
      audit.append(applied(v - 1, v));
    }
  }

  @Test
  void aVersionThatGoesBackwardsIsFlagged() {
    appendVersions(14, 15, 16, 3, 4);
    AuditVerifier.Result r = AuditVerifier.verify(state);
    assertThat(r.ok()).isFalse();
    assertThat(r.firstBadLine()).isEqualTo(4);
    assertThat(r.reason()).startsWith("version 3 after version 16: version numbers were reused")
        .endsWith("[QCFG-4120]");
  }

  @Test
  void linesCutOffTheEndAreFoundThroughTheVersionCounter() throws Exception {
    VersionCounter counter = VersionCounter.open(state);
    for (int i = 0; i < 5; i++) {
      counter.reserve();
    }
    appendVersions(1, 2, 3, 4, 5);
    assertThat(AuditVerifier.verify(state).ok()).isTrue();
    // Cut two lines and let a restart rebuild audit.head from what is left.
    Path log = state.resolve("audit.log");
    List<String> lines = Files.readAllLines(log);
    Files.write(log, lines.subList(0, 3));
    Files.delete(state.resolve("audit.head"));
    AuditLog reopened = AuditLog.open(state, 1 << 20, 5);
    assertThat(reopened.headIntactAtOpen()).isFalse();
    assertThat(reopened.lastVersionAtOpen()).isEqualTo(3);
    AuditVerifier.Result r = AuditVerifier.verify(state);
    assertThat(r.ok()).as(r.describe()).isFalse();
    assertThat(r.reason()).contains("newest version is 3").contains("version 5")
        .endsWith("[QCFG-4121]");
  }

  @Test
  void anAnchorKeptElsewhereCatchesCutAndRewrittenLogs() throws Exception {
    appendVersions(1, 2, 3);
    String anchor = AuditVerifier.anchor(state).orElseThrow();
    assertThat(anchor).matches("3:[0-9a-f]{64}");
    appendVersions(4, 5);
    assertThat(AuditVerifier.verify(state, anchor).ok()).isTrue();

    // Cut back to two lines, head rebuilt by a restart: the chain alone says intact.
    Path log = state.resolve("audit.log");
    List<String> lines = Files.readAllLines(log);
    Files.write(log, lines.subList(0, 2));
    Files.delete(state.resolve("audit.head"));
    AuditLog.open(state, 1 << 20, 5);
    assertThat(AuditVerifier.verify(state).ok()).isTrue();
    AuditVerifier.Result cut = AuditVerifier.verify(state, anchor);
    assertThat(cut.ok()).isFalse();
    assertThat(cut.reason()).contains("ends at seq 2, before the anchor's seq 3")
        .endsWith("[QCFG-4122]");

    // A whole new chain of the same length: the anchored line differs.
    Files.delete(log);
    Files.delete(state.resolve("audit.head"));
    AuditLog fresh = AuditLog.open(state, 1 << 20, 5);
    for (int i = 1; i <= 5; i++) {
      fresh.append(AuditEvent.of(Type.APPLIED, "mallory", "rewritten").withVersions(i - 1L, i + 0L));
    }
    assertThat(AuditVerifier.verify(state).ok()).isTrue();
    AuditVerifier.Result rewritten = AuditVerifier.verify(state, anchor);
    assertThat(rewritten.reason()).contains("does not match the anchor").endsWith("[QCFG-4122]");

    assertThatThrownBy(() -> AuditVerifier.verify(state, "3:abc"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QCFG-4123");
  }
}
