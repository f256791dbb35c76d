package io.qcfg.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.qcfg.Problem;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each known shape of a library's message, with a secret canary in it, comes out of {@link
 * ForeignText} without the canary: by wording (no dumps, no quoted values) even when the canary
 * is not known, and by scrubbing when it is.
 */
class ForeignTextTest {
  static final String UNKNOWN = "canary-UNKNOWN-1";
  static final String KNOWN = "canary-KNOWN-2";

  @AfterEach
  void forget() {
    ForeignText.forget();
  }

  static List<Throwable> shapes() {
    List<Throwable> out = new java.util.ArrayList<>();
    // Typesafe: a resolve error that prints its whole ResolveSource (lightbend/config #332).
    out.add(new ConfigException.BugOrBroken(
        "replace in parent not possible ResolveSource(root=SimpleConfigObject({\"db\":{\"password\":"
            + "\"" + UNKNOWN + "\"}}), pathFromRoot=null)"));
    // Typesafe: a value that does not parse (getDuration on a secret).
    try {
      ConfigFactory.parseString("t = \"" + UNKNOWN + "\"").getDuration("t");
    } catch (ConfigException e) {
      out.add(e);
    }
    try {
      ConfigFactory.parseString("t = \"" + UNKNOWN + "\"").getBytes("t");
    } catch (ConfigException e) {
      out.add(e);
    }
    // Jackson: a token in a history file, and a source excerpt.
    try {
      new ObjectMapper().readTree("{\"a\": " + UNKNOWN + "}");
    } catch (IOException e) {
      out.add(e);
    }
    // org.json / everit.
    out.add(new org.json.JSONException("Expected a ',' or '}' near \"" + UNKNOWN + "\""));
    out.add(new org.everit.json.schema.SchemaException("#/pattern", "'" + UNKNOWN + "' is not a valid regex"));
    // Pebble.
    out.add(new io.pebbletemplates.pebble.error.PebbleException(
        null, "cannot convert \"" + UNKNOWN + "\" to a number", 3, "app.peb"));
    // JDK.
    try {
      Integer.parseInt(UNKNOWN);
    } catch (NumberFormatException e) {
      out.add(e);
    }
    try {
      Duration.parse(UNKNOWN);
    } catch (RuntimeException e) {
      out.add(e);
    }
    out.add(new IllegalArgumentException("bad value '" + UNKNOWN + "'"));
    return out;
  }

  @Test
  void noShapeShowsAnUnknownCanary() {
    for (Throwable t : shapes()) {
      String shown = ForeignText.describe(t);
      assertThat(shown).as(t.getClass().getName() + ": " + t.getMessage()).doesNotContain(UNKNOWN);
      assertThat(shown).doesNotContain("\n").hasSizeLessThanOrEqualTo(ForeignText.MAX_LENGTH);
    }
  }

  @Test
  void aRememberedSecretIsScrubbedFromAnyText() {
    ForeignText.remember(List.of(KNOWN));
    for (Throwable t : List.of(
        new IOException("/etc/" + KNOWN + ": Permission denied"),
        new NoSuchFileException("/x/" + KNOWN),
        new AccessDeniedException("/x/" + KNOWN),
        new IllegalStateException("state " + KNOWN),
        new RuntimeException(KNOWN))) {
      assertThat(ForeignText.describe(t)).doesNotContain(KNOWN).contains(Redactor.REDACTED);
    }
    Problem p = new Problem("QCFG-0000", "x.conf:1 " + KNOWN, "a", "found " + KNOWN);
    assertThat(p.toString()).doesNotContain(KNOWN);
  }

  @Test
  void credentialNamedEnvironmentVariablesAreRemembered() {
    ForeignText.rememberEnvironment(Map.of("DB_PASSWORD", KNOWN, "HOME", "/home/someone"));
    assertThat(ForeignText.scrub("x " + KNOWN + " /home/someone")).isEqualTo("x <redacted> /home/someone");
  }

  /** Only the process environment (immutable) is known by identity: any other map is read again. */
  @Test
  void aChangedEnvironmentMapIsReadAgain() {
    Map<String, String> env = new java.util.HashMap<>(Map.of("DB_PASSWORD", KNOWN));
    ForeignText.rememberEnvironment(env);
    env.put("API_TOKEN", UNKNOWN);
    ForeignText.rememberEnvironment(env);
    assertThat(ForeignText.scrub(KNOWN + " " + UNKNOWN)).isEqualTo("<redacted> <redacted>");
    ForeignText.rememberEnvironment(System.getenv());
    ForeignText.rememberEnvironment(System.getenv()); // known: nothing read again, nothing lost
    assertThat(ForeignText.scrub(KNOWN)).isEqualTo("<redacted>");
  }

  @Test
  void namesStayReadable() {
    assertThat(ForeignText.describe(new ConfigException.Missing("db.url")))
        .contains("'db.url'");
    assertThat(ForeignText.describe(null)).isEqualTo("unknown error");
    try {
      ConfigFactory.parseString("a = 1 ]");
    } catch (ConfigException e) {
      assertThat(ForeignText.describe(e)).contains("got ']'");
    }
  }

  @Test
  void aHugeMessageIsOneBoundedLine() {
    String huge = "x += 1\n".repeat(30_000);
    Problem p = new Problem("QCFG-1011", "application.conf", "", huge);
    assertThat(p.reason()).doesNotContain("\n").hasSizeLessThanOrEqualTo(ForeignText.MAX_LENGTH);
    assertThat(p.reason()).contains("more characters");
  }

  @Test
  void aSecretLayerIsLearnedAgainWhenItChangedOrOneOfItsValuesWasForgotten() {
    var layer = ConfigFactory.parseString("db.password = \"" + KNOWN + "\"");
    ForeignText.rememberAllLeavesOf(layer);
    assertThat(ForeignText.scrub(KNOWN)).doesNotContain(KNOWN);
    var edited = ConfigFactory.parseString("db.password = \"" + UNKNOWN + "\"");
    ForeignText.rememberAllLeavesOf(edited); // another tree: walked
    assertThat(ForeignText.scrub(UNKNOWN)).doesNotContain(UNKNOWN);

    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      many.add("filler-secret-" + i);
    }
    ForeignText.remember(many); // more than are kept: the layer's value is forgotten
    assertThat(ForeignText.scrub(UNKNOWN)).contains(UNKNOWN);
    ForeignText.rememberAllLeavesOf(edited); // the same tree, but a value of it was forgotten
    assertThat(ForeignText.scrub(UNKNOWN)).doesNotContain(UNKNOWN);
  }
}
