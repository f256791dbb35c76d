package io.qcfg.internal.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import org.json.JSONTokener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Differential (issue 16): {@link PlainSchemaJson} gives org.json's {@code JSONTokener} tree
 * exactly (the class and value of every leaf, every object's keys in the same iteration order),
 * or declines (null) and leaves the text to the tokener; it never gives a tree where the tokener
 * refuses. On generated texts (plain JSON, and now and then one of org.json's leniencies, an
 * error, a duplicate key, an escape, a number of every size and form), on the
 * JSON-Schema-Test-Suite's files as written, and on the schemas the repository ships.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PlainSchemaJsonPropertiesTest {

  @Property(tries = 2000)
  void givesTheTokenersTreeOrDeclines(@ForAll("documents") String text) {
    Object expected = tokener(text);
    JSONObject plain = PlainSchemaJson.read(text);
    Statistics.collect(plain != null ? "read" : expected instanceof JSONObject ? "declined"
        : "declined (the tokener refuses)");
    if (!(expected instanceof JSONObject)) {
      assertThat(plain).as("the tokener refuses %s", text).isNull();
    } else if (plain != null) {
      assertSameTree(plain, expected, "$");
    }
  }

  @Test
  void theSchemaTestSuiteAsWrittenGivesTheTokenersTree() throws Exception {
    Path suite = Path.of("src/test/resources/json-schema-test-suite/draft7");
    List<Path> files;
    try (Stream<Path> s = Files.walk(suite)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(30);
    for (Path f : files) {
      // Each file is an array of groups: placed in an object, as written, escapes and all.
      String text = "{\"groups\": " + Files.readString(f, StandardCharsets.UTF_8) + "}\n";
      JSONObject plain = PlainSchemaJson.read(text);
      assertThat(plain).as(f.toString()).isNotNull();
      assertSameTree(plain, tokener(text), f.toString());
    }
  }

  @Test
  void theShippedSchemasGiveTheTokenersTree() throws Exception {
    List<Path> files = new ArrayList<>();
    for (String dir : List.of("../schemas", "../samples")) {
      try (Stream<Path> s = Files.walk(Path.of(dir))) {
        s.filter(p -> p.getFileName().toString().endsWith("schema.json")
            || p.getParent().endsWith("schemas") && p.toString().endsWith(".json"))
            .filter(p -> !p.toString().contains("/target/")).forEach(files::add);
      }
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      String text = Files.readString(f, StandardCharsets.UTF_8);
      Object expected = tokener(text);
      if (expected instanceof JSONObject) {
        JSONObject plain = PlainSchemaJson.read(text);
        assertThat(plain).as(f.toString()).isNotNull();
        assertSameTree(plain, expected, f.toString());
      }
    }
  }

  @Test
  void parseSchemaJsonStillFailsAsTheTokenerFails() {
    // org.json 20250107's tokener fails a duplicate key and a trailing comma with a
    // NullPointerException (no parser configuration): the schema's problem words it (QCFG-1202).
    for (String bad : List.of("{\"a\": 1, \"a\": 2}", "{\"a\": 1,}",
        "{\"a\": 1} x", "[1]", "{\"a\": \"\\q\"}", "{\"a\" 1}")) {
      assertThat(PlainSchemaJson.read(bad)).as(bad).isNull();
      Object expected = tokener(bad);
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
          () -> SchemaValidator.parseSchemaJson(bad));
      if (expected instanceof RuntimeException e && !e.getMessage().equals(TEXT_AFTER)) {
        assertThat(thrown).as(bad).isInstanceOf(e.getClass()).hasMessage(e.getMessage());
      } else {
        assertThat(thrown).as(bad).isInstanceOf(JSONException.class); // its own wording
      }
    }
    // org.json's leniency is kept: read by the tokener, as before
    assertThat(SchemaValidator.parseSchemaJson("{'a': 1, b: tru}")).isInstanceOf(JSONObject.class);
    assertThat(SchemaValidator.parseSchemaJson(" true ")).isEqualTo(Boolean.TRUE);
  }

  private static final String TEXT_AFTER = "text after the value";

  /** What {@code parseSchemaJson} gave before: the tokener's object, else the exception. */
  private static Object tokener(String text) {
    try {
      JSONTokener t = new JSONTokener(text);
      Object raw = t.nextValue();
      return t.nextClean() == 0 ? raw : new JSONException(TEXT_AFTER);
    } catch (RuntimeException e) { // JSONException, and org.json's own NullPointerException
      return e;
    }
  }

  static void assertSameTree(Object a, Object b, String at) {
    assertThat(a).as(at).isNotNull();
    assertThat(a.getClass()).as(at).isEqualTo(b.getClass());
    if (a instanceof JSONObject x) {
      JSONObject y = (JSONObject) b;
      assertThat(new ArrayList<>(x.keySet())).as(at).isEqualTo(new ArrayList<>(y.keySet()));
      for (String k : x.keySet()) {
        assertSameTree(x.get(k), y.get(k), at + "." + k);
      }
    } else if (a instanceof JSONArray x) {
      JSONArray y = (JSONArray) b;
      assertThat(x.length()).as(at).isEqualTo(y.length());
      for (int i = 0; i < x.length(); i++) {
        assertSameTree(x.get(i), y.get(i), at + "[" + i + "]");
      }
    } else {
      assertThat(a).as(at).isEqualTo(b);
    }
  }

  @Provide
  Arbitrary<String> documents() {
    // Half plain JSON (which the reader must read as the tokener does), half with now and then
    // one of org.json's leniencies or an error somewhere (which it must decline).
    return Arbitraries.of(false, true).flatMap(noisy -> Combinators.combine(space(noisy),
        object(3, noisy), space(noisy), or(noisy, Arbitraries.just(""), Arbitraries.of("x", "}")))
        .as((a, o, b, tail) -> a + o + b + tail));
  }

  /** {@code good}, or when {@code noisy} now and then {@code bad}. */
  private static Arbitrary<String> or(boolean noisy, Arbitrary<String> good,
      Arbitrary<String> bad) {
    return noisy ? Arbitraries.frequencyOf(Tuple.of(25, good), Tuple.of(1, bad)) : good;
  }

  private static Arbitrary<String> space(boolean noisy) {
    return or(noisy, Arbitraries.of("", "", " ", "\n", "\t ", "\r\n  "),
        Arbitraries.of("\u000b", "\u0000"));
  }

  private static Arbitrary<String> value(int depth, boolean noisy) {
    if (depth == 0) {
      return scalar(noisy);
    }
    return Arbitraries.frequencyOf(
        Tuple.of(5, scalar(noisy)),
        Tuple.of(2, Arbitraries.lazy(() -> object(depth - 1, noisy))),
        Tuple.of(1, Arbitraries.lazy(() -> array(depth - 1, noisy))));
  }

  private static Arbitrary<String> object(int depth, boolean noisy) {
    Arbitrary<String> member = Combinators.combine(key(noisy), space(noisy),
        or(noisy, Arbitraries.just(":"), Arbitraries.of("=", "=>", "")), space(noisy),
        value(depth, noisy)).as((k, s1, sep, s2, v) -> k + s1 + sep + s2 + v);
    return Combinators.combine(member.list().ofMaxSize(5), comma(noisy),
        or(noisy, Arbitraries.just(""), Arbitraries.just(",")))
        .as((members, c, trailing) -> "{" + String.join(c, members)
            + (members.isEmpty() ? "" : trailing) + "}");
  }

  private static Arbitrary<String> array(int depth, boolean noisy) {
    return Combinators.combine(value(depth, noisy).list().ofMaxSize(4), comma(noisy))
        .as((items, c) -> "[" + String.join(c, items) + "]");
  }

  private static Arbitrary<String> comma(boolean noisy) {
    return or(noisy, Arbitraries.of(",", ", ", " ,\n"), Arbitraries.of(";", " "));
  }

  // Few names: keys repeat in an object now and then (the tokener refuses a duplicate key).
  private static Arbitrary<String> key(boolean noisy) {
    return or(noisy, Arbitraries.of("\"type\"", "\"properties\"", "\"a\"", "\"b\"",
        "\"é\"", "\"\"", "\"a\\u0062\"", "\"ab\"", "\"x-secret\"", "\"\\t\""),
        Arbitraries.of("'a'", "a", "\"a", "1", "true", "{}"));
  }

  private static Arbitrary<String> scalar(boolean noisy) {
    return or(noisy, Arbitraries.frequencyOf(
        Tuple.of(4, string(noisy)),
        Tuple.of(4, number(noisy)),
        Tuple.of(2, Arbitraries.of("true", "false", "null"))),
        Arbitraries.of("True", "NULL", "nul", "truex", "'s'", "word", "1x", ""));
  }

  private static Arbitrary<String> string(boolean noisy) {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        Tuple.of(10, Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(6)),
        Tuple.of(2, Arbitraries.of("é", "😀", "日本", " ", "'", "/", "#", "{", "]", ",", ":")),
        Tuple.of(3, Arbitraries.of("\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r",
            "\\t", "\\u00e9", "\\u00E9", "\\uD83D", "\\ude00", "\\u0000")));
    Arbitrary<String> bad = Arbitraries.of("\\q", "\\u12G4", "\\u12", "\\x41", "\u0001",
        "\t", "\n", "\\u+123", "\\u\uff11\uff12\uff13\uff14");
    return or(noisy, piece, bad).list().ofMaxSize(5).map(p -> "\"" + String.join("", p) + "\"");
  }

  private static Arbitrary<String> number(boolean noisy) {
    return or(noisy, Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().map(String::valueOf)),
        Tuple.of(2, Arbitraries.integers().between(-1000, 1000).map(String::valueOf)),
        Tuple.of(2, Arbitraries.doubles().map(String::valueOf)),
        Tuple.of(1, Arbitraries.bigIntegers().between(
            new java.math.BigInteger("-1" + "0".repeat(30)),
            new java.math.BigInteger("1" + "0".repeat(30))).map(String::valueOf)),
        Tuple.of(3, Arbitraries.of("0", "-0", "-0.0", "0.0", "1.0", "1.50", "1e5", "1E+5",
            "1e-5", "-1.5e-300", "1e400", "-1e400", "2147483647", "2147483648", "-2147483648",
            "-2147483649", "9223372036854775807", "9223372036854775808", "0.1e1", "123.456e2"))),
        Arbitraries.of("01", "-01", "1.", ".5", "+1", "-", "1e", "1e+", "0x1F", "NaN",
            "Infinity", "-Infinity", "1.5.2", "--1", "00"));
  }
}
