package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.Qcfg;
import io.qcfg.Snapshot;
import io.qcfg.internal.audit.AuditVerifier;
import io.qcfg.internal.text.Sha256Selection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: the pure SHA-256 writes and reads the state dir exactly as the JDK's digest did (the
 * releases before it used MessageDigest and javax.crypto.Mac). A state dir written with one is
 * trusted by the other: the fingerprint file's integrity MAC, the start tree and its secret
 * digests (the fast path is taken), the version and checksum, history and the audit chain.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DigestCompatibilityTest {
  @TempDir Path tmp;

  @AfterEach
  void stop() {
    Qcfg.stop();
    Sha256Selection.select(false);
  }

  @Test
  void aStateDirWrittenWithEitherDigestIsTrustedByTheOther() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("application.conf"), "app { port = 8080, name = base }\n");
    Files.writeString(dir.resolve("secrets/db.password"), "s3cret");
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\"}");
    Path state = tmp.resolve("state");
    Map<String, String> options = Map.of("dir", dir.toString(), "state", state.toString(),
        "watch", "false", "jmx", "false", "env", "development");

    Sha256Selection.select(true); // as the jar before the pure digest wrote it
    String[] first = run(options);
    assertThat(first[0]).startsWith("full build");
    for (boolean jdk : List.of(false, true, false)) {
      Sha256Selection.select(jdk);
      String[] again = run(options);
      assertThat(again[0]).as("jdk digest: %s", jdk).isEqualTo(FastStartTest.FAST);
      assertThat(again[1]).isEqualTo(first[1]); // same version
      assertThat(again[2]).isEqualTo(first[2]); // same checksum (the secret is sealed in it)
      AuditVerifier.Result audit = AuditVerifier.verify(state);
      assertThat(audit.ok()).as(audit.describe()).isTrue();
    }
    try (var history = Files.list(state.resolve("history"))) {
      assertThat(history.filter(p -> p.toString().endsWith(".json"))).hasSize(1);
    }
  }

  private static String[] run(Map<String, String> options) {
    Qcfg.start(options);
    try {
      Engine e = Engine.require();
      Snapshot s = Qcfg.current();
      if (e.startPath().equals(FastStartTest.FAST)) { // and the full build behind it agrees
        await().atMost(Duration.ofSeconds(60)).until(e::fastStartChecked);
      }
      assertThat(s.getString("db.password")).isEqualTo("s3cret");
      return new String[] {e.startPath(), Long.toString(s.version()), s.checksum()};
    } finally {
      Qcfg.stop();
    }
  }
}
