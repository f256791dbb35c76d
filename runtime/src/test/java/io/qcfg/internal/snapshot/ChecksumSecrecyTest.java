package io.qcfg.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.qcfg.Qcfg;
import io.qcfg.internal.Pipeline;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.crypto.ChecksumKey;
import io.qcfg.internal.crypto.KeyRing;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import io.qcfg.internal.text.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The checksum is no oracle for secrets (issue 14 item 8). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChecksumSecrecyTest {
  static final List<String> DICTIONARY =
      List.of("password", "letmein", "hunter2", "dragon", "qwerty", "123456");

  @TempDir Path root;

  Path config(String password) throws Exception {
    Path dir = root.resolve("config");
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("application.conf"), "http.port = 8080\ndb.url = \"jdbc:x\"\n");
    Files.writeString(dir.resolve("secrets/db.password"), password + "\n");
    return dir;
  }

  @Test
  void aDictionaryCannotReproduceTheChecksumFromAHistoryFile() throws Exception {
    Path dir = config("hunter2");
    Path state = root.resolve("state");
    Qcfg.start(Map.of("dir", dir.toString(), "state", state.toString(), "watch", "false",
        "jmx", "false"));
    String active;
    try {
      active = Qcfg.current().checksum();
    } finally {
      Qcfg.stop();
    }
    JsonNode entry;
    try (Stream<Path> files = Files.list(state.resolve("history"))) {
      Path file = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
      entry = new ObjectMapper().readTree(Files.readString(file));
    }
    String stored = entry.get("checksum").asText();
    assertThat(stored).isEqualTo(active).matches("[0-9a-f]{64}");
    String sealedTree = entry.get("tree").toString();
    assertThat(sealedTree).contains(ConfigSnapshot.SEALED).doesNotContain("hunter2");
    int tried = 0;
    for (String guess : DICTIONARY) {
      // The attack that worked before: put the guess where the sealed value is, hash the
      // canonical rendering (as a JSON string, and as HOCON would have typed it).
      List<String> literals = new java.util.ArrayList<>(List.of("\"" + guess + "\""));
      if (guess.matches("\\d+")) {
        literals.add(guess); // HOCON would have made it a number
      }
      for (String literal : literals) {
        String candidate = sealedTree.replace("\"" + ConfigSnapshot.SEALED + "\"", literal);
        String sum = Canonical.checksum(ConfigFactory.parseString(candidate).root());
        assertThat(sum).as("guess " + guess).isNotEqualTo(stored);
        tried++;
      }
    }
    assertThat(tried).isGreaterThanOrEqualTo(DICTIONARY.size());
    Path keyFile = state.resolve(ChecksumKey.FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
  }

  ConfigSnapshot build(Path dir, Path state, Path key) {
    Map<String, String> opts = new java.util.HashMap<>(Map.of("state", state.toString()));
    if (key != null) {
      opts.put("key", key.toString());
    }
    return new Pipeline(QcfgOptions.resolve(opts, new Properties(), Map.of()), null, null)
        .build(new LayerStack.Request(dir, new Environment("development", "option"), Map.of(),
            new Properties(), Map.of(), null, null));
  }

  @Test
  void stableAcrossRestartsAndEqualWhereTheKeyIsShared() throws Exception {
    Path dir = config("hunter2");
    Path a = Files.createDirectories(root.resolve("a"));
    Path b = Files.createDirectories(root.resolve("b"));
    String first = build(dir, a, null).checksum();
    assertThat(build(dir, a, null).checksum()).isEqualTo(first);

    // Restart: the same state dir gives the same checksum.
    Qcfg.start(Map.of("dir", dir.toString(), "state", a.toString(), "watch", "false", "jmx", "false"));
    String running = Qcfg.current().checksum();
    Qcfg.stop();
    Qcfg.start(Map.of("dir", dir.toString(), "state", a.toString(), "watch", "false", "jmx", "false"));
    try {
      assertThat(Qcfg.current().checksum()).isEqualTo(running).isEqualTo(first);
    } finally {
      Qcfg.stop();
    }

    // Another state dir without the key: another checksum; with a copy of the key: the same.
    Path c = Files.createDirectories(root.resolve("c"));
    assertThat(build(dir, b, null).checksum()).isNotEqualTo(first);
    Files.copy(a.resolve(ChecksumKey.FILE), c.resolve(ChecksumKey.FILE));
    assertThat(build(dir, c, null).checksum()).isEqualTo(first);

    // With a key ring, JVMs with their own state dirs agree: the key comes from the ring.
    Path ring = root.resolve("qcfg.key");
    Files.writeString(ring, KeyRing.generate("k1").render());
    Files.setPosixFilePermissions(ring, PosixFilePermissions.fromString("rw-------"));
    Path d = Files.createDirectories(root.resolve("d"));
    assertThat(build(dir, d, ring).checksum()).isEqualTo(build(dir, b, ring).checksum())
        .isNotEqualTo(first);

    // A changed secret still changes the checksum.
    config("letmein");
    assertThat(build(dir, a, null).checksum()).isNotEqualTo(first);
  }

  @Test
  void withoutSecretsTheChecksumIsTheSha256OfTheCanonicalRendering() throws Exception {
    Path dir = root.resolve("plain");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("application.conf"), "b = 2\na { c = [1, 2] }\n");
    ConfigSnapshot s = build(dir, Files.createDirectories(root.resolve("s")), null);
    assertThat(s.checksum()).isEqualTo(Sha256.hex(Canonical.render(s.config().root())));
  }
}
