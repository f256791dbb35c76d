package io.qcfg.internal.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The probation options and their refusals (issue 18, "Bad input"). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GuardOptionsTest {
  @Test
  void probationIsOffByDefaultAndTheOthersHaveDefaults() {
    GuardOptions o = GuardOptions.parse(Map.of());
    assertThat(o.enabled()).isFalse();
    assertThat(o.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(o.uncaughtRate()).isZero();
    assertThat(o.healthUrl()).isNull();
  }

  @Test
  void durationsRatesAndLoopbackUrlsParse() {
    GuardOptions o = GuardOptions.parse(Map.of("probation", "30s", "health-interval", "250ms",
        "health-timeout", "1s", "uncaught-rate", "5/s",
        "health-url", "http://127.0.0.1:8080/actuator/health"));
    assertThat(o.probation()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.interval()).isEqualTo(Duration.ofMillis(250));
    assertThat(o.uncaughtRate()).isEqualTo(5.0);
    assertThat(o.healthUrl().getPort()).isEqualTo(8080);
    assertThat(GuardOptions.url("http://localhost/h").getHost()).isEqualTo("localhost");
    assertThat(GuardOptions.url("https://[::1]:9/h").getPort()).isEqualTo(9);
    assertThat(GuardOptions.url("remote:http://10.1.2.3:8080/h").getHost()).isEqualTo("10.1.2.3");
    assertThat(GuardOptions.parse(Map.of("probation", "off")).enabled()).isFalse();
  }

  @Test
  void aNonLoopbackUrlNeedsToBeSpelledOut() {
    assertThatThrownBy(() -> GuardOptions.url("http://10.1.2.3:8080/h"))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageContaining("QCFG-4713").hasMessageContaining("remote:");
    assertThatThrownBy(() -> GuardOptions.url("http://127.evil.example/h"))
        .hasMessageContaining("QCFG-4713");
  }

  @Test
  void malformedUrlsAreRefusedWithoutEchoingThem() {
    for (String bad : new String[] {"not a url", "ftp://127.0.0.1/x", "http:///path",
        "http://user:s3cret@127.0.0.1/h", "127.0.0.1:8080"}) {
      assertThatThrownBy(() -> GuardOptions.url(bad))
          .as(bad)
          .isInstanceOf(QcfgException.BadOption.class)
          .hasMessageContaining("QCFG-4712")
          .hasMessageNotContaining("s3cret");
    }
  }

  @Test
  void badDurationsAndRatesAreRefused() {
    for (Map<String, String> bad : new Map[] {Map.of("probation", "soon"),
        Map.of("probation", "1ms"), Map.of("health-interval", "10"),
        Map.of("health-timeout", "-1s"), Map.of("uncaught-rate", "0"),
        Map.of("uncaught-rate", "many")}) {
      assertThatThrownBy(() -> GuardOptions.parse(bad)).as(bad.toString())
          .isInstanceOf(QcfgException.BadOption.class)
          .hasMessageContaining("QCFG-4711");
    }
  }

  /** The hand-written duration parser accepts exactly what the regex it replaced accepted. */
  @Test
  void durationParserAgreesWithTheRegexItReplaced() {
    java.util.regex.Pattern old = java.util.regex.Pattern.compile(
        "([0-9]{1,9})\\s*(ms|s|m|h)", java.util.regex.Pattern.CASE_INSENSITIVE);
    java.util.List<String> inputs = new java.util.ArrayList<>(java.util.List.of("", "s", "1",
        "0s", "30s", "30 s", "30\tS", "30\u000bMs", "30\f\r\nh", "250ms", "250MS", "2m", "2H",
        "123456789ms", "1234567890ms", "-1s", "+1s", "1.5s", "1 sec", "1d", "1ss", "s1", "1 s ",
        "١s", "1\u00a0s", "1\u2003s", "1mS", "01s", "1msx", "m"));
    java.util.Random random = new java.util.Random(16);
    String alphabet = "019 msMShH\t.x";
    for (int n = 0; n < 20_000; n++) {
      StringBuilder sb = new StringBuilder();
      for (int k = random.nextInt(8); k > 0; k--) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      inputs.add(sb.toString());
    }
    for (String in : inputs) {
      java.util.regex.Matcher m = old.matcher(in);
      Duration expected = null;
      if (m.matches()) {
        long v = Long.parseLong(m.group(1));
        expected = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
          case "ms" -> Duration.ofMillis(v);
          case "s" -> Duration.ofSeconds(v);
          case "m" -> Duration.ofMinutes(v);
          default -> Duration.ofHours(v);
        };
      }
      assertThat(GuardOptions.parseDuration(in)).as("'%s'", in).isEqualTo(expected);
    }
  }
}
