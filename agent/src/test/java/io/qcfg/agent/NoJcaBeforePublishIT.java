package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: the JCA provider framework (security properties, provider list, the Sun provider's
 * services: tens of milliseconds cold) is not initialised before the first snapshot is
 * published, on a first start without ENC values nor on a fast restart; nor, on a fast restart,
 * history's entry parser, the build pipeline or jackson-core's parser. Deterministic: the class
 * load log is written in order, and the application loads its marker class only once the first
 * snapshot is bound, so any JCA class listed before the marker was loaded before publication.
 */
@Timeout(300)
class NoJcaBeforePublishIT {
  private static final Pattern JCA =
      Pattern.compile("\\] (sun\\.security\\.(jca|provider)\\.|javax\\.crypto\\.|"
          + "java\\.security\\.(SecureRandom|Provider|KeyStore)\\b)");
  private static final String MARKER = "] app.AfterPublish$Marker ";
  // On a fast restart, neither history's entry parser (the head comes from the stamp) nor the
  // pipeline (the secret layer is read without it; SchemaValidator is made by its constructor),
  // nor jackson-core's parser (the audit log's end is plain: PlainAuditLine); nor
  // CompletableFuture (the hand-overs are OneShots), nor the JDK's security constants (qcfg's own
  // build asks for no protection domain). Not the fork-join classes: any thread that waits on a
  // Condition loads ForkJoinPool (AQS's ManagedBlocker), whose initialisation loads its worker
  // class without starting a worker, and the applier, idle once the start is recorded, may do so
  // before the application's marker.
  private static final Pattern RESTART_EXTRA =
      Pattern.compile("\\] (io\\.qcfg\\.(internal\\."
          + "(history\\.HistoryHead|validate\\.SchemaValidator)|shaded\\.jackson\\.core\\."
          + "(JsonFactory|JsonParser))|java\\.util\\.concurrent\\.CompletableFuture"
          + "|sun\\.security\\.util\\.SecurityConstants) ");

  @TempDir Path tmp;

  @Test
  void neitherAFirstStartNorAFastRestartLoadsTheJcaBeforePublishing() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"), "s { int = 80, string = seven }\n");
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\"}\n");
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/db.password"), "s3cret-value");
    Path state = tmp.resolve("state");

    List<String> first = run(dir, state, "first", JCA);
    List<String> restart = run(dir, state, "restart", Pattern.compile(JCA.pattern() + "|"
        + RESTART_EXTRA.pattern()));

    assertThat(String.join("\n", restart.subList(1, restart.size())))
        .as("the restart took the fast path").contains("QCFG-1533");
    assertThat(first.get(0)).as("first start").isEqualTo("");
    assertThat(restart.get(0)).as("fast restart").isEqualTo("");
  }

  /**
   * Nor {@code java.util.regex} at a first start whose build meets no substitution, no {@code
   * ENC[} text and no schema (issue 16): the patterns for those are compiled at first use, not
   * when their classes load on the applier (a cold compile cost the first start's critical path
   * about 6 ms of CPU). (Not {@code CompletableFuture} here, which the first start's own
   * hand-overs no longer use: this application declares a {@code ConfigRule}, and the rule runner
   * waits on one.)
   */
  @Test
  void aFirstStartWithoutSubstitutionsEncOrSchemaCompilesNoRegularExpression() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("plain"));
    Files.writeString(dir.resolve("application.conf"), "s { int = 80, string = seven }\n");
    List<String> first = run(dir, tmp.resolve("plain-state"), "plain",
        Pattern.compile("\\] java\\.util\\.regex\\."));
    assertThat(first.get(0)).as("regular expression classes before the publish").isEqualTo("");
  }

  /** Runs the application once: the {@code early} classes loaded before the marker, then stderr. */
  private List<String> run(Path dir, Path state, String name, Pattern early)
      throws Exception {
    Path log = tmp.resolve(name + ".classes");
    try (AppJvm app = AppJvm.start("dir=" + dir + ",state=" + state + ",env=development",
        List.of("-Xlog:class+load=info:file=" + log), "app.AfterPublish")) {
      assertThat(app.awaitExit()).as(app.transcript()).isZero();
      assertThat(app.stdout()).contains("value=seven");
      List<String> lines = Files.readAllLines(log);
      int marker = -1;
      for (int i = 0; i < lines.size() && marker < 0; i++) {
        marker = lines.get(i).contains(MARKER) ? i : -1;
      }
      assertThat(marker).as("the marker class was logged").isNotNegative();
      StringBuilder found = new StringBuilder();
      for (String line : lines.subList(0, marker)) {
        if (early.matcher(line).find()) {
          found.append(line).append('\n');
        }
      }
      List<String> out = new java.util.ArrayList<>();
      out.add(found.toString());
      out.addAll(app.stderr());
      return out;
    }
  }
}
