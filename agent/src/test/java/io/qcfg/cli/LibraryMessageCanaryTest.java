package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Qcfg;
import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.crypto.KeyRing;
import io.qcfg.internal.crypto.ValueCipher;
import io.qcfg.internal.jmx.ConfigEndpoint;
import io.qcfg.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rejected candidates whose problems come from library messages (Typesafe parse and resolve,
 * everit, org.json, Typesafe bad values, JDK number parsing, binding) with secret canaries in the
 * tree (secret layer, {@code ENC[...]}, a credential-named path): no canary on stdout, stderr,
 * qcfg's log, JMX {@code LastError}, history or the audit log, nor in what the CLI prints for the
 * same files. (Canaries in the process environment: {@code LibraryMessageEnvCanaryIT}.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LibraryMessageCanaryTest {
  static final String LAYER = "canary-LAYER-11";
  static final String ENCRYPTED = "canary-ENC-12";
  static final String NAMED = "canary-NAMED-13";

  @TempDir Path root;
  Path dir;
  Path state;
  Path key;
  String enc;
  final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  PrintStream oldOut;
  PrintStream oldErr;

  static final class Holder {
    @io.qcfg.ConfigValue("bound.port")
    int port = 1;
  }

  @BeforeEach
  void start() throws Exception {
    dir = root.resolve("config");
    state = root.resolve("state");
    key = root.resolve("qcfg.key");
    KeyRing ring = KeyRing.generate("k1");
    Files.writeString(key, ring.render());
    Files.setPosixFilePermissions(
        key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    enc = ValueCipher.encrypt(ring, "api.key", ENCRYPTED);
    write("secrets/db.password", LAYER + "\n");
    write("application.conf", good());
    PrintStream sink = new PrintStream(captured, true, StandardCharsets.UTF_8);
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(sink);
    System.setErr(sink);
    Log.redirect(sink);
    Qcfg.start(Map.of("dir", dir.toString(), "state", state.toString(), "key", key.toString(),
        "watch", "false"));
    ConfigEndpoint.register(Engine.require());
    Qcfg.bind(new Holder());
  }

  @AfterEach
  void stop() {
    ConfigEndpoint.unregister();
    Qcfg.stop();
    System.setOut(oldOut);
    System.setErr(oldErr);
    Log.redirect(System.err);
  }

  String good() {
    return "db { url = \"jdbc:x\" }\napi.key = \"" + enc + "\"\napi.token = \"" + NAMED
        + "\"\nbound.port = 8080\n";
  }

  void write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @Test
  void noRejectionShowsACanaryAnywhere() throws Exception {
    String[][] shapes = {
      // Typesafe resolve error that dumps its ResolveSource (the port idiom, lightbend #332)
      {"application.conf", good() + "port = 8080\nport = ${?PORT}\nx = ${api.token}\n", null},
      // Typesafe syntax error in the line of a credential-named path
      {"application.conf", good() + "api.token = " + NAMED + " ]\n", null},
      // everit: pattern and enum on secret paths, with the values in everit's message
      {"schema.json",
        "{\"properties\":{\"api\":{\"properties\":{\"token\":{\"pattern\":\"^x$\"},"
            + "\"key\":{\"enum\":[\"a\"]}}},\"db\":{\"properties\":{\"password\":{\"const\":\"b\"}}}}}",
        "schema"},
      // org.json: a schema that is not JSON
      {"schema.json", "{\"x\": " + NAMED + "}", "schema"},
      // Typesafe bad value through a declarative rule comparing a secret as a duration
      {"rules.conf", "rules = [ { path = \"db.password\", less-than = \"api.token\" } ]\n", "rules"},
      // JDK NumberFormatException through a bound int field
      {"application.conf", good() + "bound.port = ${api.token}\n", null},
      // a number beyond double
      {"application.conf", good() + "api.secret = 1e400\n", null},
    };
    MBeanRead jmx = new MBeanRead();
    int rejected = 0;
    for (String[] shape : shapes) {
      write(shape[0], shape[1]);
      try {
        Qcfg.reload();
      } catch (RuntimeException e) {
        captured.writeBytes(String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
      }
      String lastError = jmx.lastError();
      if (!lastError.isEmpty()) {
        rejected++;
      }
      assertClean(lastError, "JMX LastError after " + shape[1]);
      for (String[] verb : new String[][] {{"validate"}, {"print", "--json"}, {"diff"}}) {
        List<String> args = new ArrayList<>(List.of(verb));
        args.addAll(List.of("--dir", dir.toString(), "--key", key.toString(), "--state",
            root.resolve("cli-state").toString()));
        CliRun r = CliRun.of(args.toArray(new String[0]));
        assertClean(r.all(), String.join(" ", verb) + " over " + shape[1]);
      }
      // back to the good files for the next shape
      Files.deleteIfExists(dir.resolve("schema.json"));
      Files.deleteIfExists(dir.resolve("rules.conf"));
      write("application.conf", good());
    }
    assertThat(rejected).as("shapes rejected").isGreaterThanOrEqualTo(shapes.length - 1);
    assertClean(captured.toString(StandardCharsets.UTF_8), "stdout, stderr and qcfg's log");
    try (Stream<Path> files = Files.walk(state)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        // Bytes as Latin-1: the start tree is binary; the canaries are ASCII.
        assertClean(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1),
            "state file " + f.getFileName());
      }
    }
    assertThat(Files.readString(state.resolve("audit.log"))).contains("QCFG-");
  }

  private static void assertClean(String text, String where) {
    assertThat(text).as(where).doesNotContain(LAYER).doesNotContain(ENCRYPTED)
        .doesNotContain(NAMED).doesNotContain("canary");
  }

  /** {@code LastError} through the platform MBean server, as a JMX client reads it. */
  static final class MBeanRead {
    String lastError() throws Exception {
      return (String) ManagementFactory.getPlatformMBeanServer()
          .getAttribute(ConfigEndpoint.objectName(), "LastError");
    }
  }
}
