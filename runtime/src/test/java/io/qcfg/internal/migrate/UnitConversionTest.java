package io.qcfg.internal.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitConversionTest {

  private static UnitConversion conversion(String from, String to, UnitConversion.Output as) {
    return new UnitConversion(
        UnitConversion.canonical(from).orElseThrow(),
        UnitConversion.canonical(to).orElseThrow(),
        as);
  }

  private static Object convert(String from, String to, Object value) {
    UnitConversion.Result r = conversion(from, to, UnitConversion.Output.STRING).convert(value);
    return r instanceof UnitConversion.Result.Converted c ? c.value() : r;
  }

  @ParameterizedTest
  @CsvSource({
    "ms, s, 1500, 1.5s",
    "ms, s, 1500ms, 1.5s",
    "ms, ms, 2 h, 7200000ms",
    "s, ms, 0.5, 500ms",
    "s, m, 90 seconds, 1.5m",
    "d, h, 1, 24h",
    "us, ns, 3 micros, 3000ns",
    "B, KiB, 1536, 1.5KiB",
    "B, MiB, 10M, 10MiB",
    "B, kB, 1500, 1.5kB",
    "KiB, B, 1 kibibyte, 1024B",
    "MB, B, 2, 2000000B",
    "GiB, MiB, 0.5, 512MiB",
    "B, B, 1e3, 1000B",
  })
  void convertsExactly(String from, String to, String value, String expected) {
    assertThat(convert(from, to, value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"ms, s, 1500, 1.5s", "s, ms, 30, 30000ms", "h, d, 36, 1.5d", "KiB, B, 2, 2048B"})
  void convertsNumbers(String from, String to, long value, String expected) {
    assertThat(convert(from, to, value)).isEqualTo(expected);
    assertThat(convert(from, to, (double) value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"ms, s, 1500", "B, MiB, 1572864", "s, m, 45"})
  void stringOutputReadsBackWithTypesafe(String from, String to, long value) {
    String text = (String) convert(from, to, value);
    var config = ConfigFactory.parseString("v = \"" + text + "\"");
    if (UnitConversion.canonical(from).orElseThrow().kind() == UnitConversion.Kind.DURATION) {
      long nanos = UnitConversion.canonical(from).orElseThrow().factor().longValue() * value;
      assertThat(config.getDuration("v")).isEqualTo(Duration.ofNanos(nanos));
    } else {
      assertThat(config.getBytes("v")).isEqualTo(value);
    }
  }

  @ParameterizedTest
  @CsvSource({"ms, s, 1500, 1.5", "s, ms, 30, 30000", "B, KiB, 2048, 2"})
  void numberOutputIsAPlainNumberInTheTargetUnit(
      String from, String to, long value, String expected) {
    Object out =
        ((UnitConversion.Result.Converted)
                conversion(from, to, UnitConversion.Output.NUMBER).convert(value))
            .value();
    assertThat(out.toString()).isEqualTo(expected);
    assertThat(out).isInstanceOf(expected.contains(".") ? Double.class : Long.class);
  }

  @ParameterizedTest
  @CsvSource({
    "ms, h, 1, true, cannot be written exactly in h",
    "ms, s, ten, false, found a string that is neither",
    "ms, s, 10 MiB, false, found the unit 'MiB'",
    "B, KiB, 10 s, false, found the unit 's'",
    "ms, s, '', false, found a string that is neither",
  })
  void failuresSayWhyWithoutTheValue(
      String from, String to, String value, boolean inexact, String reason) {
    Object r = convert(from, to, value);
    assertThat(r).isInstanceOf(UnitConversion.Result.Failed.class);
    UnitConversion.Result.Failed f = (UnitConversion.Result.Failed) r;
    assertThat(f.inexact()).isEqualTo(inexact);
    assertThat(f.reason()).contains(reason);
    if (!value.isBlank()) {
      assertThat(f.reason()).doesNotContain("\"" + value + "\"");
    }
  }

  @Test
  void stepUnitsAreTheCanonicalNamesExactly() {
    for (String name : List.of("ns", "us", "ms", "s", "m", "h", "d", "B", "kB", "MB", "KiB", "MiB")) {
      assertThat(UnitConversion.canonical(name)).as(name).isPresent();
    }
    // case matters (MB is not mB), and value spellings like "millis" are not step units
    for (String name : List.of("MS", "mib", "mB", "KB", "millis", "K")) {
      assertThat(UnitConversion.canonical(name)).as(name).isEmpty();
    }
  }

  @ParameterizedTest
  @CsvSource({"ms, MiB", "B, s"})
  void unitsOfTwoKindsCannotBeCombined(String from, String to) {
    assertThatThrownBy(() -> conversion(from, to, UnitConversion.Output.STRING))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 500)
  void anyStringEndsInAResultNeverAnException(@ForAll String value) {
    assertThat(conversion("ms", "s", UnitConversion.Output.STRING).convert(value)).isNotNull();
    assertThat(conversion("B", "MiB", UnitConversion.Output.NUMBER).convert(value)).isNotNull();
  }
}
