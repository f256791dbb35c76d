package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.Qcfg;
import io.qcfg.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret inside a list ({@code servers.0.password}: a credential's name, or a schema pattern
 * such as {@code users.*.pin}) never reaches the state directory in plaintext: history seals it
 * where the checksum keys it, the start tree seals its list whole, and a rollback gives the list
 * back from the secret layer or leaves it out, never with the placeholder as a value.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecretsInListsTest {
  static final List<String> PLAINTEXTS = List.of("pw-in-list-1", "pin-in-list-1", "pw-in-list-2");

  @TempDir Path tmp;

  Path dir() {
    return tmp.resolve("config");
  }

  void start() {
    Qcfg.start(Map.of("dir", dir().toString(), "state", tmp.resolve("state").toString(),
        "watch", "false", "jmx", "false", "env", "development"));
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  void write(String servers) throws IOException {
    Files.createDirectories(dir());
    Files.writeString(dir().resolve("application.conf"), "servers = " + servers + "\n"
        + "users = [{name = u, pin = \"pin-in-list-1\"}]\nports = [1, 2]\n");
    Files.writeString(dir().resolve("schema.json"), "{\"type\": \"object\", \"properties\": {"
        + "\"users\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"properties\": {"
        + "\"pin\": {\"type\": \"string\", \"x-secret\": true}}}}}}");
  }

  /** Every file of the state directory, as text (binary files too: a plaintext shows). */
  String stateFiles() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(tmp.resolve("state"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        all.append(f).append('\n').append(new String(Files.readAllBytes(f),
            java.nio.charset.StandardCharsets.ISO_8859_1)).append('\n');
      }
    }
    return all.toString();
  }

  /** The {@code key} of the first object of the list at {@code path}. */
  static Object first(Snapshot s, String path, String key) {
    return s.getList(path, Map.class).get(0).get(key);
  }

  @Test
  void noPlaintextOfASecretInAListIsKept() throws Exception {
    write("[{host = a, password = \"pw-in-list-1\"}]");
    start();
    Snapshot s = Qcfg.current();
    assertThat(first(s, "servers", "password")).isEqualTo("pw-in-list-1");
    Qcfg.stop();

    String state = stateFiles();
    for (String secret : PLAINTEXTS) {
      assertThat(state).as(secret).doesNotContain(secret);
    }
    assertThat(state).contains(io.qcfg.internal.snapshot.ConfigSnapshot.SEALED);

    start(); // the start tree cannot give the list back (no secret layer): built in full
    assertThat(first(Qcfg.current(), "servers", "password")).isEqualTo("pw-in-list-1");
    assertThat(first(Qcfg.current(), "users", "pin")).isEqualTo("pin-in-list-1");
    assertThat(Qcfg.current().getList("ports", Integer.class)).containsExactly(1, 2);
  }

  @Test
  void aRollbackLeavesOutAListWhoseSecretItCannotGiveBack() throws Exception {
    write("[{host = a, password = \"pw-in-list-1\"}]");
    start();
    Path app = dir().resolve("application.conf");
    write("[{host = b, password = \"pw-in-list-2\"}]");
    Engine e = Engine.require();
    long before = e.status().reloadCount();
    e.inputsChanged(app);
    await().atMost(Duration.ofSeconds(10)).until(() -> e.status().reloadCount() > before);
    assertThat(Qcfg.current().version()).isEqualTo(2);

    Snapshot back = e.rollback(1, "operator");
    assertThat(back.hasPath("servers")).isFalse(); // not the placeholder, not the old plaintext
    assertThat(back.getList("ports", Integer.class)).containsExactly(1, 2);
    assertThat(stateFiles()).doesNotContain("pw-in-list-1").doesNotContain("pw-in-list-2");
  }
}
