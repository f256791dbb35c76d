package io.qcfg.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void replacesEveryOccurrenceOfEveryValue() {
    Redactor r = Redactor.of(List.of("hunter2", "s3cr3t$\\1"));
    assertThat(r.scrub("login hunter2 failed; retry with hunter2 or s3cr3t$\\1."))
        .isEqualTo("login <redacted> failed; retry with <redacted> or <redacted>.");
  }

  @Test
  void longestMatchWinsWhereValuesOverlap() {
    Redactor r = Redactor.of(List.of("abcd", "abcdefgh", "efgh"));
    assertThat(r.scrub("xabcdefghy abcd efgh")).isEqualTo("x<redacted>y <redacted> <redacted>");
  }

  @Test
  void shortAndNullValuesAreIgnored() {
    Redactor r = Redactor.of(Arrays.asList("on", "abc", null, "true"));
    assertThat(r.scrub("on abc is true")).isEqualTo("on abc is <redacted>");
    assertThat(r.toString()).isEqualTo("Redactor[1 values]");
  }

  @Test
  void nothingToScrub() {
    assertThat(Redactor.of(List.of()).scrub("same text")).isEqualTo("same text");
    assertThat(Redactor.none().scrub(null)).isNull();
    assertThat(Redactor.of(List.of("abcd")).scrub(null)).isNull();
  }

  @Test
  void multiLineSecretsAndRegexCharacters() {
    String pem = "-----BEGIN KEY-----\nAB+/==\n-----END KEY-----";
    Redactor r = Redactor.of(List.of(pem, ".*.*"));
    assertThat(r.scrub("key was " + pem + " and .*.* but not abc"))
        .isEqualTo("key was <redacted> and <redacted> but not abc");
  }

  @Test
  void forConfigTakesSecretLeavesAndExtras() {
    KeyRing ring = KeyRing.generate("k");
    String enc = ValueCipher.encrypt(ring, "db.password", "hunter22");
    Config original =
        ConfigFactory.parseString(
                "db { password = \""
                    + enc
                    + "\", host = dbhost1 }, api.tokens = [tok-aaaa, tok-bbbb], pin = 12345")
            .resolve();
    ConfigDecryptor.Result d = ConfigDecryptor.decrypt(original, ring);
    SecretPaths secrets = SecretPaths.of(Set.of("pin"), d.encryptedPaths(), List.of());
    Redactor r = Redactor.forConfig(d.config(), secrets, d.ciphertexts());
    assertThat(r.scrub("hunter22 " + enc + " tok-aaaa tok-bbbb 12345 dbhost1"))
        .isEqualTo("<redacted> <redacted> <redacted> <redacted> <redacted> dbhost1");
    assertThat(r.toString()).doesNotContain("hunter22");
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void threadsRacingOnTheFirstScrubAllGetTheSameText() throws Exception {
    // The regex is compiled on the first scrub (issue 16): racing first scrubs agree.
    for (int round = 0; round < 20; round++) {
      Redactor r = Redactor.of(List.of("hunter22", "hunter2222", "tok-aaaa", "a.b*c"));
      var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        List<java.util.concurrent.Callable<String>> scrubs = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
          scrubs.add(() -> r.scrub("x hunter2222 y tok-aaaa z a.b*c w aXb*c"));
        }
        for (var f : pool.invokeAll(scrubs, 20, java.util.concurrent.TimeUnit.SECONDS)) {
          assertThat(f.get()).isEqualTo("x <redacted> y <redacted> z <redacted> w aXb*c");
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * The table lookup against the regex it replaced (issue 16): the alternation of the quoted
   * values, longest first, with {@code replaceAll}. Values and texts from a small alphabet, so that
   * values overlap, share prefixes and repeat; surrogates included (those take the regex).
   */
  @net.jqwik.api.Property(tries = 2000)
  void scrubsAsTheAlternationOfTheValuesLongestFirst(
      @net.jqwik.api.ForAll("values") List<String> values,
      @net.jqwik.api.ForAll("values") List<String> noise) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < noise.size(); i++) {
      text.append(noise.get(i));
      if (!values.isEmpty() && i % 2 == 0) {
        text.append(values.get(i % values.size()));
      }
    }
    String t = text.toString();
    assertThat(Redactor.of(values).scrub(t)).isEqualTo(byRegex(values, t));
  }

  /**
   * The same, with many values of one first {@link Redactor#MIN_LENGTH} characters (hosts, tokens
   * of one kind), repeats among them: a slot of the table that holds more than a few values is
   * sorted another way, to the same order.
   */
  @net.jqwik.api.Property(tries = 500)
  void manyValuesOfOnePrefixScrubAsTheAlternation(
      @net.jqwik.api.ForAll("onePrefix") List<String> values,
      @net.jqwik.api.ForAll("values") List<String> noise) {
    scrubsAsTheAlternationOfTheValuesLongestFirst(values, noise);
    assertThat(Redactor.of(values).toString())
        .isEqualTo("Redactor[" + new java.util.HashSet<>(values).size() + " values]");
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<List<String>> onePrefix() {
    return net.jqwik.api.Arbitraries.strings().withChars("ab.").ofMaxLength(5).map(s -> "abab" + s)
        .list().ofMinSize(17).ofMaxSize(80);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<List<String>> values() {
    return texts().list().ofMaxSize(12);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> texts() {
    return net.jqwik.api.Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(20, net.jqwik.api.Arbitraries.strings().withChars("ab")
            .ofMinLength(3).ofMaxLength(7)),
        net.jqwik.api.Tuple.of(5, net.jqwik.api.Arbitraries.strings().withChars("abc.*\\Q")
            .ofMaxLength(9)),
        net.jqwik.api.Tuple.of(1, net.jqwik.api.Arbitraries.strings()
            .withChars("ab\uD83D\uDE00\uDE01").ofMaxLength(6)),
        net.jqwik.api.Tuple.of(2, net.jqwik.api.Arbitraries.strings().ofMaxLength(8)));
  }

  private static String byRegex(List<String> values, String text) {
    java.util.TreeSet<String> sorted = new java.util.TreeSet<>(
        java.util.Comparator.comparingInt(String::length).reversed().thenComparing(s -> s));
    for (String v : values) {
      if (v != null && v.length() >= Redactor.MIN_LENGTH) {
        sorted.add(v);
      }
    }
    if (sorted.isEmpty()) {
      return text;
    }
    List<String> quoted = new java.util.ArrayList<>();
    sorted.forEach(v -> quoted.add(java.util.regex.Pattern.quote(v)));
    return java.util.regex.Pattern.compile(String.join("|", quoted)).matcher(text)
        .replaceAll(java.util.regex.Matcher.quoteReplacement(Redactor.REDACTED));
  }

  @Test
  void aValueRepeatedCountsOnce() {
    assertThat(Redactor.of(List.of("abcd", "abcd", "efgh")).toString())
        .isEqualTo("Redactor[2 values]");
  }
}
