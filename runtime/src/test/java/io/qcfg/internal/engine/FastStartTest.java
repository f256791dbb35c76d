package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.Qcfg;
import io.qcfg.Snapshot;
import io.qcfg.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 3, the validated-inputs fast path, in process: taken on an unchanged restart with
 * the values, version and checksum of a full build; not taken for each kind of changed input
 * (the reason names it); never trusting an edited or truncated fingerprint file; and a full build
 * after a fast start that disagrees is rejected and said.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FastStartTest {
  static final String FAST = "fast path: inputs unchanged";

  @TempDir Path tmp;
  Path dir;
  final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeEach
  void files() throws Exception {
    dir = configuration(tmp);
    capture(log);
  }

  /** The five files of the tests' configuration directory, under {@code tmp}. */
  static Path configuration(Path tmp) throws java.io.IOException {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("application.conf"),
        "app { port = 8080, name = base }\ninclude \"more.conf\"\n");
    Files.writeString(dir.resolve("more.conf"), "app.extra = one\n");
    Files.writeString(dir.resolve("secrets/db.password"), "s3cret");
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\", \"properties\": {\"app\":"
        + " {\"type\": \"object\", \"properties\": {\"port\": {\"type\": \"integer\"}}}}}");
    Files.writeString(dir.resolve("rules.conf"), "rules = []\n");
    return dir;
  }

  static void capture(ByteArrayOutputStream log) {
    Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
    Log.setLevel(Log.Level.DEBUG);
  }

  @AfterEach
  void stop() {
    release();
  }

  static void release() {
    ArmedRule.action = null;
    Qcfg.stop();
    Log.redirect(System.err);
    Log.setLevel(Log.Level.INFO);
  }

  Map<String, String> options() {
    return options(tmp);
  }

  static Map<String, String> options(Path tmp) {
    return new HashMap<>(Map.of("dir", tmp.resolve("config").toString(),
        "state", tmp.resolve("state").toString(), "watch", "false", "jmx", "false",
        "env", "development"));
  }

  /** Starts, returns how the start went and the snapshot, and stops. */
  record Run(String path, long version, String checksum, String port, String extra,
      String password) {}

  Run run() {
    return run(options());
  }

  /** Starts with {@code options}, returns how the start went and the snapshot, and stops. */
  static Run run(Map<String, String> options) {
    Qcfg.start(options);
    try {
      Engine e = Engine.require();
      Snapshot s = Qcfg.current();
      if (e.startPath().equals(FAST)) { // the full build behind it ends before the engine stops
        await().atMost(Duration.ofSeconds(30)).until(e::fastStartChecked);
      }
      return new Run(e.startPath(), s.version(), s.checksum(), s.getString("app.port"),
          s.getString("app.extra"), s.getString("db.password"));
    } finally {
      Qcfg.stop();
    }
  }

  @Test
  void anUnchangedRestartIsFastAndGivesWhatAFullBuildGives() {
    Run first = run();
    assertThat(first.path()).startsWith("full build: no fingerprint");
    Run second = run();
    assertThat(second.path()).as(log.toString(StandardCharsets.UTF_8)).isEqualTo(FAST);
    assertThat(second).usingRecursiveComparison().ignoringFields("path").isEqualTo(first);
    assertThat(second.password()).isEqualTo("s3cret");
    assertThat(run().path()).isEqualTo(FAST);
  }

  /**
   * Issue 16: the start tree is decoded before the wait for history when the inputs digested by
   * then agree, and not at all when a file changed (a restart after an edit pays no decode).
   */
  @Test
  void theStartTreeIsDecodedAheadOnlyWhenTheInputsAgree() throws Exception {
    run();
    try {
      io.qcfg.internal.log.StartupTrace.enable(System.nanoTime());
      assertThat(run().path()).isEqualTo(FAST);
      assertThat(io.qcfg.internal.log.StartupTrace.phases())
          .extracting(io.qcfg.internal.log.StartupTrace.Phase::name)
          .contains("fast path: start tree (decoded ahead)");
      // The value path is warmed off main (qcfg-state, after the state dir opened).
      await().atMost(Duration.ofSeconds(20)).until(() -> io.qcfg.internal.log.StartupTrace
          .phases().stream().anyMatch(p -> p.name().equals("bound values (warm the value path)")));
      Files.writeString(dir.resolve("application.conf"),
          "app { port = 9091, name = base }\ninclude \"more.conf\"\n");
      io.qcfg.internal.log.StartupTrace.enable(System.nanoTime());
      Run r = run();
      assertThat(r.path()).isEqualTo("full build: the configuration file application.conf changed");
      assertThat(r.port()).isEqualTo("9091");
      assertThat(io.qcfg.internal.log.StartupTrace.phases())
          .extracting(io.qcfg.internal.log.StartupTrace.Phase::name)
          .doesNotContain("fast path: start tree (decoded ahead)")
          .doesNotContain("start tree: file (read, integrity)");
    } finally {
      io.qcfg.internal.log.StartupTrace.ON = false;
    }
  }

  /**
   * A first start reads the files ahead and keeps their bytes undigested until after the publish,
   * up to a bound: a directory over it is read again once the state directory is open, the files
   * beyond the bound digested as they are read, and is fingerprinted all the same.
   */
  @Test
  void aDirectoryOverTheBytesKeptUndigestedIsFingerprintedAllTheSame() throws Exception {
    Files.write(dir.resolve("data.bin"), new byte[(int) FastStart.KEEP_UNDIGESTED_BYTES + 1]);
    assertThat(run().path()).startsWith("full build: no fingerprint");
    assertThat(run().path()).as(log.toString(StandardCharsets.UTF_8)).isEqualTo(FAST);
    Files.write(dir.resolve("data.bin"), new byte[(int) FastStart.KEEP_UNDIGESTED_BYTES + 2]);
    assertThat(run().path()).contains("data.bin changed");
  }

  @Test
  void anEditedLayerFileIsBuiltInFull() throws Exception {
    run();
    Files.writeString(dir.resolve("application.conf"),
        "app { port = 9090, name = base }\ninclude \"more.conf\"\n");
    Run r = run();
    assertThat(r.path()).isEqualTo("full build: the configuration file application.conf changed");
    assertThat(r.port()).isEqualTo("9090");
    assertThat(r.version()).isEqualTo(2);
  }

  @Test
  void anEditedIncludedFileIsBuiltInFull() throws Exception {
    run();
    Files.writeString(dir.resolve("more.conf"), "app.extra = two\n");
    Run r = run();
    assertThat(r.path()).isEqualTo("full build: the configuration file more.conf changed");
    assertThat(r.extra()).isEqualTo("two");
  }

  @Test
  void anInvalidEditIsRejectedNotFastStarted() throws Exception {
    run();
    Files.writeString(dir.resolve("application.conf"),
        "app { port = not-a-number, name = base }\ninclude \"more.conf\"\n");
    Run r = run(); // invalid: the start-up falls back to the last valid version, loudly
    assertThat(r.path()).contains("application.conf changed");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("QCFG-1500", "QCFG-1505");
    assertThat(r.port()).isEqualTo("8080");
  }

  @Test
  void aChangedSchemaIsBuiltInFull() throws Exception {
    run();
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\"}");
    assertThat(run().path()).isEqualTo("full build: the configuration file schema.json changed");
  }

  /**
   * The first start's schema load begins before the files are digested (issue 16). A load of an
   * older text of schema.json (here loaded in this JVM before the edit, as a prefetch that read
   * the file just before it leaves one) is never what the build validates with: the build reads
   * the file after the digests and takes a load only for the same text. So the fingerprint never
   * calls an edited schema validated: refused by the edited schema, the start fails and keeps no
   * fingerprint; accepted by it, the restart is fast until the schema changes again, and then
   * validated in full.
   */
  @Test
  void aSchemaLoadedBeforeAnEditIsNeverWhatTheFingerprintCallsValidated() throws Exception {
    Path schema = dir.resolve("schema.json");
    String upTo9000 = portSchema(9000);
    String upTo80 = portSchema(80);
    loadBeforeTheEdit(schema, upTo9000);
    Files.writeString(schema, upTo80); // the edit: 8080 is now refused
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Qcfg.start(options()))
        .isInstanceOf(io.qcfg.QcfgException.Invalid.class)
        .hasMessageContaining("app.port");
    assertThat(tmp.resolve("state").resolve(io.qcfg.internal.history.StartInputsFile.NAME))
        .doesNotExist();

    loadBeforeTheEdit(schema, upTo80);
    Files.writeString(schema, upTo9000); // the other way round: 8080 is accepted
    assertThat(run().path()).startsWith("full build: no fingerprint");
    assertThat(run().path()).isEqualTo(FAST);
    Files.writeString(schema, upTo80); // validated in full and refused, history's version too
    org.assertj.core.api.Assertions.assertThatThrownBy(this::run)
        .isInstanceOf(io.qcfg.QcfgException.Invalid.class)
        .hasMessageContaining("app.port");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("QCFG-1500", "QCFG-1506");
  }

  /** Loads {@code text} as {@code schema} in this JVM's schema cache, as a prefetch would. */
  private static void loadBeforeTheEdit(Path schema, String text) throws Exception {
    Files.writeString(schema, text);
    var problems = new java.util.ArrayList<io.qcfg.Problem>();
    var loaded = new io.qcfg.internal.validate.SchemaValidator(new io.qcfg.internal.layer
        .LayerFileReader(io.qcfg.internal.layer.Limits.DEFAULT)::readText).load(schema, problems);
    assertThat(loaded.schema()).isNotNull();
    assertThat(problems).isEmpty();
  }

  /** A schema whose {@code app.port} is at most {@code max}; unique to this run of the test. */
  private static String portSchema(int max) {
    return "{\"type\": \"object\", \"x-run\": " + System.nanoTime() + ", \"properties\":"
        + " {\"app\": {\"type\": \"object\", \"properties\": {\"port\": {\"type\":"
        + " \"integer\", \"maximum\": " + max + "}}}}}";
  }

  @Test
  void changedRulesAreBuiltInFull() throws Exception {
    run();
    Files.writeString(dir.resolve("rules.conf"), "rules = []\n# edited\n");
    assertThat(run().path()).isEqualTo("full build: the configuration file rules.conf changed");
  }

  static final String PLAIN_SECRETS = "# the api's\napi {\n  token = \"pl41n-t0k3n\"\n"
      + "  retries = 3\n  hosts = [\"a\", \"b\"]\n}\nvault.lease = 30s\n";

  /** The values, origins and secret marks of {@code paths} in the active snapshot. */
  static Map<String, String> seen(String... paths) {
    Snapshot s = Qcfg.current();
    Map<String, String> out = new java.util.TreeMap<>();
    for (String p : paths) {
      out.put(p, s.getString(p) + " @ " + s.origin(p).orElseThrow().location() + " secret "
          + s.isSecret(p));
    }
    return out;
  }

  @Test
  void plainSecretFilesAreReadWithoutTypesafesParserAndGiveWhatAFullBuildGives()
      throws Exception {
    Files.writeString(dir.resolve("secrets/extra.conf"), PLAIN_SECRETS);
    Files.writeString(dir.resolve("secrets/odd.conf"), "odd.ref = ${api.token}\n"); // declined
    String[] paths = {"api.token", "api.retries", "vault.lease", "odd.ref", "db.password"};
    Qcfg.start(options());
    Map<String, String> full;
    try {
      full = seen(paths);
    } finally {
      Qcfg.stop();
    }
    assertThat(full.get("api.token")).startsWith("pl41n-t0k3n @ ")
        .endsWith("secrets/extra.conf:3 secret true");
    io.qcfg.internal.crypto.ForeignText.forget(); // the fast path must tell the redactor again
    Map<String, String> traced = options();
    traced.put("trace", "startup");
    Qcfg.start(traced);
    try {
      Engine e = Engine.require();
      assertThat(e.startPath()).isEqualTo(FAST);
      assertThat(seen(paths)).isEqualTo(full);
      assertThat(Qcfg.current().getStringList("api.hosts")).containsExactly("a", "b");
      assertThat(io.qcfg.internal.crypto.ForeignText.scrub("x pl41n-t0k3n y"))
          .isEqualTo("x <redacted> y");
      await().atMost(Duration.ofSeconds(30)).until(() -> log.toString(StandardCharsets.UTF_8)
          .contains("plain parse declined"));
      assertThat(log.toString(StandardCharsets.UTF_8))
          .containsPattern("plain parse \\S*secrets/extra.conf")
          .containsPattern("plain parse declined \\S*secrets/odd.conf");
      await().atMost(Duration.ofSeconds(30)).until(e::fastStartChecked);
      assertThat(e.current().version()).isEqualTo(1); // the full build agreed
      assertThat(seen(paths)).isEqualTo(full);
    } finally {
      Qcfg.stop();
    }
    assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("pl41n-t0k3n");
  }

  /**
   * A full build, then a fast start from its start tree with a redactor that knows nothing yet
   * (the fast path must tell it again); the caller stops it.
   */
  Engine fastStartAfterAFullBuild() {
    assertThat(run().path()).startsWith("full build");
    io.qcfg.internal.crypto.ForeignText.forget();
    Qcfg.start(options());
    Engine e = Engine.require();
    assertThat(e.startPath()).isEqualTo(FAST);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains(FROM_TREE);
    return e;
  }

  @Test
  void theRedactorKnowsEverySecretOfTheSecretLayerAfterTheFastStart() throws Exception {
    // The read-ahead tells the redactor the secret layer's values on its own thread (a file of
    // one key and a plain .conf here), the applier only the start tree's other secret leaves.
    Files.writeString(dir.resolve("secrets/extra.conf"), PLAIN_SECRETS);
    Files.writeString(dir.resolve("more.conf"), "app.extra = one\napp.motto = \"plain-words\"\n");
    Engine e = fastStartAfterAFullBuild();
    try {
      assertThat(io.qcfg.internal.crypto.ForeignText.scrub("a pl41n-t0k3n c s3cret d plain-words"))
          .isEqualTo("a <redacted> c <redacted> d plain-words");
      Snapshot s = Qcfg.current();
      assertThat(s.isSecret("api.token")).isTrue();
      assertThat(s.isSecret("api")).isTrue(); // above a secret leaf: the rule made when asked
      assertThat(s.isSecret("db.password")).isTrue();
      assertThat(s.isSecret("app.motto")).isFalse();
      assertThat(s.describe("api.token")).doesNotContain("pl41n");
      await().atMost(Duration.ofSeconds(30)).until(e::fastStartChecked);
      assertThat(e.current().version()).isEqualTo(1); // the full build agreed
    } finally {
      Qcfg.stop();
    }
    assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("pl41n-t0k3n");
  }

  @Test
  void theRedactorKnowsASecretListsTextsAsBeforeAfterTheFastStart() throws Exception {
    // The applier lists only the secret leaves whose texts the read-ahead's walk of the layer's
    // scalars may not give: a list of lists is one (its items' texts are lists), a string is not.
    Files.writeString(dir.resolve("secrets/extra.conf"), PLAIN_SECRETS);
    Files.writeString(dir.resolve("secrets/grid.conf"),
        "grid = [[\"cell-one1\", \"cell-two2\"]]\n"); // declined by the plain reader
    Engine e = fastStartAfterAFullBuild();
    try {
      assertThat(Qcfg.current().isSecret("grid")).isTrue();
      assertThat(io.qcfg.internal.crypto.ForeignText.scrub("x [cell-one1, cell-two2] y"))
          .as("the inner list's text, from the grid leaf's own texts")
          .isEqualTo("x <redacted> y");
      assertThat(io.qcfg.internal.crypto.ForeignText.scrub("a pl41n-t0k3n c s3cret d"))
          .isEqualTo("a <redacted> c <redacted> d");
      await().atMost(Duration.ofSeconds(30)).until(e::fastStartChecked);
      assertThat(e.current().version()).isEqualTo(1); // the full build agreed
    } finally {
      Qcfg.stop();
    }
  }

  @Test
  void aTamperedFingerprintWithSecretsReadAheadStillBuildsInFullWithTheNewSecret()
      throws Exception {
    // The read-ahead starts as soon as a fingerprint file is seen, before it is checked: when
    // the fast path is then refused, the full build reads the secrets itself.
    Files.writeString(dir.resolve("secrets/extra.conf"), PLAIN_SECRETS);
    run();
    Path f = tmp.resolve("state/start-inputs");
    String text = Files.readString(f);
    int hex = text.indexOf(' ', text.indexOf("digest ") + 7) + 1;
    char c = text.charAt(hex);
    Files.writeString(f, text.substring(0, hex) + (c == '0' ? '1' : '0') + text.substring(hex + 1));
    Files.writeString(dir.resolve("secrets/extra.conf"), PLAIN_SECRETS.replace("pl41n", "n3w"));
    Qcfg.start(options());
    try {
      assertThat(Engine.require().startPath())
          .isEqualTo("full build: the fingerprint file is not intact (QCFG-1530)");
      assertThat(Qcfg.current().getString("api.token")).isEqualTo("n3w-t0k3n");
    } finally {
      Qcfg.stop();
    }
    assertThat(run().path()).isEqualTo(FAST);
  }

  @Test
  void anEditedPlainSecretFileIsPickedUp() throws Exception {
    Files.writeString(dir.resolve("secrets/extra.conf"), PLAIN_SECRETS);
    run();
    Files.writeString(dir.resolve("secrets/extra.conf"), PLAIN_SECRETS.replace("pl41n", "n3w"));
    Qcfg.start(options());
    try {
      assertThat(Engine.require().startPath()).isEqualTo(
          "full build: the configuration file secrets/extra.conf changed");
      assertThat(Qcfg.current().getString("api.token")).isEqualTo("n3w-t0k3n");
    } finally {
      Qcfg.stop();
    }
    assertThat(run().path()).isEqualTo(FAST);
    assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("pl41n-t0k3n", "n3w-t0k3n");
  }

  @Test
  void aChangedSecretFileIsPickedUp() throws Exception {
    run();
    Files.writeString(dir.resolve("secrets/db.password"), "n3w");
    Run r = run();
    assertThat(r.path()).isEqualTo(
        "full build: the configuration file secrets/db.password changed");
    assertThat(r.password()).isEqualTo("n3w");
  }

  @Test
  void aNewLocalFileIsBuiltInFull() throws Exception {
    run();
    Files.writeString(dir.resolve("local.conf"), "app.name = mine\n");
    assertThat(run().path()).isEqualTo("full build: the configuration file local.conf was added");
  }

  /**
   * A template layer sees every allowed environment variable, so its fingerprint digests all of
   * them ("*"), not only the substitutions' names: the digests a first start takes beside its
   * history write are for the names alone and must give way to these (issue 16).
   */
  @Test
  void aTemplateLayerIsFingerprintedWithEveryVariableAndRestartsFast() throws Exception {
    Files.writeString(dir.resolve("local.conf.peb"), "app.shown = {{ env | json }}\n");
    Run first = run();
    assertThat(first.path()).startsWith("full build: no fingerprint");
    Run second = run();
    assertThat(second.path()).as(log.toString(StandardCharsets.UTF_8)).isEqualTo(FAST);
    assertThat(second).usingRecursiveComparison().ignoringFields("path").isEqualTo(first);
  }

  /**
   * The other inputs a first start digests beside its history write (qcfg-start-inputs) are
   * those of its build: a system property below a root set before that start keeps the restart
   * fast, and one changed after it is still found.
   */
  @Test
  void theOtherInputsDigestedBesideTheFirstWritesAreTheBuilds() {
    System.setProperty("app.name", "from-property");
    try {
      run();
      assertThat(run().path()).as(log.toString(StandardCharsets.UTF_8)).isEqualTo(FAST);
      System.setProperty("app.name", "changed");
      assertThat(run().path()).isEqualTo("full build: the input 'system properties' changed");
    } finally {
      System.clearProperty("app.name");
    }
  }

  @Test
  void aChangedSystemPropertyBelowARootIsBuiltInFull() {
    run();
    System.setProperty("app.name", "from-property");
    try {
      assertThat(run().path()).isEqualTo("full build: the input 'system properties' changed");
    } finally {
      System.clearProperty("app.name");
    }
  }

  @Test
  void aTamperedFingerprintIsIgnoredWithAWarning() throws Exception {
    run();
    Path f = tmp.resolve("state/start-inputs");
    String text = Files.readString(f);
    // An edit that keeps the shape: another digest for application.conf.
    int at = text.indexOf("digest ");
    int hex = text.indexOf(' ', at + 7) + 1;
    char c = text.charAt(hex);
    Files.writeString(f, text.substring(0, hex) + (c == '0' ? '1' : '0') + text.substring(hex + 1));
    Run r = run();
    assertThat(r.path()).isEqualTo("full build: the fingerprint file is not intact (QCFG-1530)");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("QCFG-1530")
        .contains("integrity");
    assertThat(r.version()).isEqualTo(1);
    assertThat(run().path()).isEqualTo(FAST); // the full build wrote a good one again
  }

  @Test
  void aTruncatedFingerprintIsIgnoredWithAWarning() throws Exception {
    run();
    Path f = tmp.resolve("state/start-inputs");
    byte[] b = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(b, b.length / 2));
    assertThat(run().path()).isEqualTo(
        "full build: the fingerprint file is not intact (QCFG-1530)");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("QCFG-1530");
  }

  @Test
  void theFingerprintHoldsNoValue() throws Exception {
    run();
    String text = Files.readString(tmp.resolve("state/start-inputs"));
    // Digests and the MAC are random-looking hex (keyed with a fresh key per run): one held
    // "8080" by chance once; identities are numbers. Every other token is checked as written and
    // base64-decoded.
    for (String token : text.split("\\s+")) {
      if (token.matches("[0-9a-f]{64}")
          || token.matches("s\\d+:m\\d+:c\\d+:d\\d+:i\\d+")) {
        continue; // a digest, or a file's identity (its size, times, device and inode)
      }
      assertThat(token).doesNotContain("s3cret", "8080", "base");
      try {
        String decoded = new String(java.util.Base64.getUrlDecoder().decode(token),
            StandardCharsets.UTF_8);
        assertThat(decoded).as(token).doesNotContain("s3cret", "8080", "base");
      } catch (IllegalArgumentException notBase64) {
        // a word of the format ("digest", "version", ...)
      }
    }
  }

  @Test
  void aFullBuildAfterTheFastStartThatRejectsIsSaidAndAudited() throws Exception {
    run();
    ArmedRule.action = s -> {
      throw new IllegalStateException("the rule changed");
    };
    Qcfg.start(options());
    Engine e = Engine.require();
    assertThat(e.startPath()).isEqualTo(FAST);
    assertThat(Qcfg.current().version()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> !e.status().lastReloadSuccessful());
    await().atMost(Duration.ofSeconds(30))
        .until(() -> log.toString(StandardCharsets.UTF_8).contains("QCFG-1532"));
    assertThat(Qcfg.current().version()).isEqualTo(1);
    assertThat(Files.exists(tmp.resolve("state/start-inputs"))).isFalse();
    List<String> audit = Files.readAllLines(tmp.resolve("state/audit.log"));
    assertThat(audit.get(audit.size() - 1)).contains("\"event\":\"rejected\"")
        .contains("start-up check");
    Qcfg.stop();
    ArmedRule.action = null;
    assertThat(run().path()).startsWith("full build: no fingerprint");
  }

  @Test
  void aFullBuildAfterTheFastStartThatAgreesBringsBackTheFileOrigins() throws Exception {
    run();
    Qcfg.start(options());
    Engine e = Engine.require();
    assertThat(e.startPath()).isEqualTo(FAST);
    await().atMost(Duration.ofSeconds(30)).until(() -> e.current().origin("app.port")
        .map(o -> o.location().contains("application.conf")).orElse(false));
    assertThat(e.current().version()).isEqualTo(1);
    assertThat(e.status().lastReloadSuccessful()).isTrue();
  }

  @Test
  void theSchemasSecretPatternsAreKeptWithTheFingerprintAndMarkSecretsOnTheFastPath()
      throws Exception {
    // A schema-marked secret in an ordinary layer is sealed in history and cannot come back
    // from it: such a tree is built in full. Here the value comes from the secret layer.
    Files.writeString(dir.resolve("secrets/app.token"), "t0ken");
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\", \"properties\":"
        + " {\"app\": {\"type\": \"object\", \"properties\": {\"token\": {\"type\":"
        + " \"string\", \"x-secret\": true}}}}}");
    run();
    String kept = Files.readString(tmp.resolve("state/start-inputs"));
    assertThat(kept).contains("\nsecret-patterns " + java.util.Base64.getUrlEncoder()
        .withoutPadding().encodeToString("app.token".getBytes(StandardCharsets.UTF_8)))
        .doesNotContain("t0ken");
    Qcfg.start(options());
    try {
      Engine e = Engine.require();
      assertThat(e.startPath()).isEqualTo(FAST);
      io.qcfg.internal.snapshot.ConfigSnapshot s = e.current();
      assertThat(s.isSecret("app.token")).isTrue();
      assertThat(s.render(true)).doesNotContain("t0ken");
      assertThat(s.getString("app.token")).isEqualTo("t0ken");
      await().atMost(Duration.ofSeconds(30)).until(e::fastStartChecked);
      assertThat(e.current().version()).isEqualTo(1); // the full build agreed
    } finally {
      Qcfg.stop();
    }
  }

  static final String FROM_TREE = "fast start: version 1 is read from the start tree";

  @Test
  void anUnchangedRestartReadsTheStartTreeWithFileOriginsAndNoSecretInClear() throws Exception {
    Run first = run();
    byte[] tree = Files.readAllBytes(tmp.resolve("state/start-tree"));
    assertThat(new String(tree, StandardCharsets.ISO_8859_1)).doesNotContain("s3cret")
        .contains("password"); // the path is kept, its value sealed
    Qcfg.start(options());
    try {
      Engine e = Engine.require();
      assertThat(e.startPath()).isEqualTo(FAST);
      assertThat(log.toString(StandardCharsets.UTF_8)).contains(FROM_TREE);
      Snapshot s = Qcfg.current();
      assertThat(s.origin("app.port").orElseThrow().location()).endsWith("application.conf:1");
      assertThat(s.origin("app.extra").orElseThrow().location()).endsWith("more.conf:1");
      assertThat(s.getString("db.password")).isEqualTo("s3cret");
      assertThat(s.isSecret("db.password")).isTrue();
      assertThat(s.checksum()).isEqualTo(first.checksum());
      await().atMost(Duration.ofSeconds(30)).until(e::fastStartChecked);
      assertThat(e.current().version()).isEqualTo(1); // the full build agreed
    } finally {
      Qcfg.stop();
    }
  }

  @Test
  void aTamperedStartTreeIsIgnoredWithAWarningAndHistoryServes() throws Exception {
    run();
    Path f = tmp.resolve("state/start-tree");
    byte[] b = Files.readAllBytes(f);
    b[b.length / 2] ^= 1;
    Files.write(f, b);
    assertNotFromTree();
  }

  @Test
  void aTruncatedStartTreeIsIgnoredWithAWarningAndHistoryServes() throws Exception {
    run();
    Path f = tmp.resolve("state/start-tree");
    byte[] b = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(b, b.length - 7));
    assertNotFromTree();
  }

  @Test
  void aStartTreeOfAnotherFormatIsIgnoredWithAWarning() throws Exception {
    run();
    Path f = tmp.resolve("state/start-tree");
    byte[] b = Files.readAllBytes(f);
    // The format number follows the magic (a length and 15 bytes); a foreign writer with the key
    // would MAC its own bytes, so the test does too.
    int at = 4 + "qcfg-start-tree".length() + 3;
    b[at] = 9;
    byte[] body = java.util.Arrays.copyOf(b, b.length - 32);
    byte[] mac = io.qcfg.internal.crypto.ChecksumKey.of(null, tmp.resolve("state"))
        .derivedMac("qcfg start tree file v1").doFinal(body);
    System.arraycopy(mac, 0, b, body.length, 32);
    Files.write(f, b);
    assertNotFromTree();
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("another format");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
  void aStartTreeOfAnOlderFormatIsSaidOnceAndRewritten(int format) throws Exception {
    run();
    Path f = tmp.resolve("state/start-tree");
    byte[] b = Files.readAllBytes(f);
    int at = 4 + "qcfg-start-tree".length() + 3; // the format number's low byte (see above)
    b[at] = (byte) format; // as an older qcfg wrote it, under this state dir's key
    byte[] body = java.util.Arrays.copyOf(b, b.length - 32);
    byte[] mac = io.qcfg.internal.crypto.ChecksumKey.of(null, tmp.resolve("state"))
        .derivedMac("qcfg start tree file v1").doFinal(body);
    System.arraycopy(mac, 0, b, body.length, 32);
    Files.write(f, b);
    Run r = run();
    assertThat(r.path()).isEqualTo(FAST); // history serves
    assertThat(r.password()).isEqualTo("s3cret");
    String text = log.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("QCFG-1539").contains("format " + format).doesNotContain("QCFG-1535")
        .doesNotContain(FROM_TREE);
    log.reset();
    assertThat(run().path()).isEqualTo(FAST); // the agreeing full build wrote the current format
    assertThat(log.toString(StandardCharsets.UTF_8)).contains(FROM_TREE)
        .doesNotContain("QCFG-1539");
  }

  @Test
  void aStartTreeCutShortUnderAValidMacIsIgnoredWithAWarning() throws Exception {
    run();
    Path f = tmp.resolve("state/start-tree");
    byte[] b = Files.readAllBytes(f);
    // A writer's bug: the body ends inside a value, yet the MAC over it holds. The reader reads
    // past no end (StartTreeBytes) and trusts nothing.
    byte[] body = java.util.Arrays.copyOf(b, (b.length - 32) / 2);
    byte[] mac = io.qcfg.internal.crypto.ChecksumKey.of(null, tmp.resolve("state"))
        .derivedMac("qcfg start tree file v1").doFinal(body);
    byte[] cut = java.util.Arrays.copyOf(body, body.length + 32);
    System.arraycopy(mac, 0, cut, body.length, 32);
    Files.write(f, cut);
    assertNotFromTree();
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("not in the expected format");
  }

  @Test
  void aMissingStartTreeIsWrittenByTheAgreeingFullBuildAfterTheFastStart() throws Exception {
    run();
    Files.delete(tmp.resolve("state/start-tree")); // as after an upgrade from a qcfg without it
    Run r = run();
    assertThat(r.path()).isEqualTo(FAST);
    assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain(FROM_TREE);
    assertThat(tmp.resolve("state/start-tree")).exists();
    assertThat(run().path()).isEqualTo(FAST);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains(FROM_TREE);
  }

  // The fast start still serves, from history; QCFG-1535 says why; the full build after it agrees
  // and writes a good tree, which the next start reads.
  private void assertNotFromTree() {
    Run r = run();
    assertThat(r.path()).isEqualTo(FAST);
    assertThat(r.port()).isEqualTo("8080");
    assertThat(r.password()).isEqualTo("s3cret");
    assertThat(r.version()).isEqualTo(1);
    String text = log.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("QCFG-1535").doesNotContain(FROM_TREE);
    assertThat(run().path()).isEqualTo(FAST);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains(FROM_TREE);
  }

  @Test
  void aTreeWithEncValuesKeepsNoStartTreeAndHistoryServes() throws Exception {
    io.qcfg.internal.crypto.KeyRing ring = io.qcfg.internal.crypto.KeyRing.generate("k1");
    Path key = tmp.resolve("qcfg.key");
    Files.writeString(key, ring.render());
    Files.writeString(dir.resolve("more.conf"), "app.extra = \""
        + io.qcfg.internal.crypto.ValueCipher.encrypt(ring, "app.extra", "one") + "\"\n");
    Map<String, String> withKey = options();
    withKey.put("key", key.toString());
    Qcfg.start(withKey);
    Qcfg.stop();
    assertThat(tmp.resolve("state/start-inputs")).exists();
    assertThat(tmp.resolve("state/start-tree")).doesNotExist();
    Qcfg.start(withKey);
    try {
      Engine e = Engine.require();
      assertThat(e.startPath()).isEqualTo(FAST);
      assertThat(Qcfg.current().getString("app.extra")).isEqualTo("one");
      assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain(FROM_TREE)
          .doesNotContain("QCFG-1535");
      await().atMost(Duration.ofSeconds(30)).until(e::fastStartChecked);
      assertThat(tmp.resolve("state/start-tree")).doesNotExist();
    } finally {
      Qcfg.stop();
    }
  }

  static final String FROM_STAMP = "history's newest head is taken from";

  @Test
  void anUnchangedRestartTakesHistorysHeadFromTheStampNotTheEntry() {
    run();
    assertThat(tmp.resolve("state/history-head")).exists(); // written with the entry
    assertThat(run().path()).isEqualTo(FAST);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains(FROM_STAMP);
  }

  @Test
  void aStateDirWithoutAStampReadsTheEntryAndStampsItForTheNextRestart() throws Exception {
    run();
    Files.delete(tmp.resolve("state/history-head")); // as after an upgrade from a qcfg without it
    Run r = run();
    assertThat(r.path()).isEqualTo(FAST);
    assertThat(r.version()).isEqualTo(1);
    assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain(FROM_STAMP);
    assertThat(tmp.resolve("state/history-head")).exists();
    assertThat(run().path()).isEqualTo(FAST);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains(FROM_STAMP);
  }

  @Test
  void aTamperedStampIsIgnoredWithAWarningAndTheEntryIsRead() throws Exception {
    run();
    Path f = tmp.resolve("state/history-head");
    String text = Files.readString(f);
    Files.writeString(f, text.replace("version 1", "version 7"));
    Run r = run();
    assertThat(r.path()).isEqualTo(FAST); // the entry, read, still says version 1
    assertThat(r.version()).isEqualTo(1);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("QCFG-1536", "integrity")
        .doesNotContain(FROM_STAMP);
    assertThat(run().path()).isEqualTo(FAST);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains(FROM_STAMP); // stamped anew
  }

  @Test
  void anEntryWhoseHeadChangedUnderTheStampIsReadAndDecides() throws Exception {
    // Needs the status-change time, which no tool sets back (POSIX; elsewhere only size and times).
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.FileSystems.getDefault()
        .supportedFileAttributeViews().contains("unix"));
    Run first = run();
    Path entry;
    try (var files = Files.list(tmp.resolve("state/history"))) {
      entry = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
    }
    String text = Files.readString(entry);
    String other = first.checksum().replace(first.checksum().charAt(0),
        first.checksum().charAt(0) == 'a' ? 'b' : 'a');
    var time = Files.getLastModifiedTime(entry);
    Files.writeString(entry, text.replace(first.checksum(), other)); // same size, in place
    Files.setLastModifiedTime(entry, time); // the time stamp restored
    Run r = run();
    assertThat(r.path()).isEqualTo("full build: the active version is not the fingerprinted one"
        + " (a change since, or history lost)");
    assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain(FROM_STAMP);
  }
}
