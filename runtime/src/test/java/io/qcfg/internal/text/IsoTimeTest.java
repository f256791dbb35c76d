package io.qcfg.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Differential against {@code Instant.toString}, {@code Instant.parse} and the log pattern. */
class IsoTimeTest {
  private static final long YEAR_0 = -62_167_219_200L;
  private static final long YEAR_10000 = 253_402_300_800L;

  @Property(tries = 3000)
  void instantIsToStringOverTheWholeRange(@ForAll("seconds") long s, @ForAll("nanos") int n) {
    Instant t = Instant.ofEpochSecond(s, n);
    assertThat(IsoTime.instant(t)).isEqualTo(t.toString());
  }

  @Property(tries = 2000)
  void parseIsInstantParseOnWhatInstantWrites(@ForAll("seconds") long s, @ForAll("nanos") int n) {
    Instant t = Instant.ofEpochSecond(s, n);
    assertThat(IsoTime.parseInstant(t.toString())).isEqualTo(t);
  }

  @Property(tries = 3000)
  void parseAgreesWithInstantParseOnAlteredText(
      @ForAll("seconds") long s, @ForAll("nanos") int n, @ForAll @IntRange(max = 40) int at,
      @ForAll("chars") char c) {
    StringBuilder text = new StringBuilder(Instant.ofEpochSecond(s, n).toString());
    if (at < text.length()) {
      text.setCharAt(at, c);
    }
    assertThat(outcome(() -> IsoTime.parseInstant(text)))
        .isEqualTo(outcome(() -> Instant.parse(text)));
  }

  @Property(tries = 3000)
  void logTimeIsTheLogPattern(
      @ForAll @LongRange(min = YEAR_0 * 1000 + 86_400_000L, max = YEAR_10000 * 1000 - 86_400_001L)
          long millis,
      @ForAll("offsets") int offset) {
    String fast = IsoTime.millisWithOffset(millis, offset);
    if (fast == null) { // year 0 and before, local time: the caller formats it with the pattern
      assertThat(Math.floorDiv(millis, 1000) + offset).isLessThan(YEAR_0 + 366 * 86_400L);
      return;
    }
    DateTimeFormatter pattern =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT);
    String expected = pattern.format(
        OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.ofTotalSeconds(offset)));
    assertThat(fast).isEqualTo(expected);
  }

  @Example
  void edgesOfTheFastRangeAndBeyond() {
    for (long s : new long[] {YEAR_0 - 1, YEAR_0, YEAR_10000 - 1, YEAR_10000, 0, -1,
        Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond(), 951_782_400L /* 2000-02-29 */}) {
      for (int n : new int[] {0, 1, 999_999_999, 1_000_000, 1000, 100_000_000, 10}) {
        Instant t = Instant.ofEpochSecond(s, n);
        assertThat(IsoTime.instant(t)).isEqualTo(t.toString());
        assertThat(IsoTime.parseInstant(t.toString())).isEqualTo(t);
      }
    }
    assertThat(IsoTime.millisWithOffset(YEAR_10000 * 1000, 0)).isNull();
  }

  @Provide
  Arbitrary<Long> seconds() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
        Arbitraries.longs().between(YEAR_0 - 86_400, YEAR_10000 + 86_400),
        Arbitraries.longs().between(-86_400L * 366 * 3, 86_400L * 366 * 3), // around 1970
        Arbitraries.longs().between(1_700_000_000L, 1_900_000_000L)); // now-ish
  }

  @Provide
  Arbitrary<Integer> nanos() {
    return Arbitraries.oneOf(
        Arbitraries.just(0),
        Arbitraries.integers().between(0, 999).map(i -> i * 1_000_000),
        Arbitraries.integers().between(0, 999_999).map(i -> i * 1000),
        Arbitraries.integers().between(0, 999_999_999));
  }

  @Provide
  Arbitrary<Integer> offsets() {
    return Arbitraries.oneOf(
        Arbitraries.just(0),
        Arbitraries.integers().between(-18, 18).map(h -> h * 3600),
        Arbitraries.integers().between(-18 * 4, 18 * 4).map(q -> q * 900),
        Arbitraries.integers().between(-18 * 3600, 18 * 3600));
  }

  @Provide
  Arbitrary<Character> chars() {
    return Arbitraries.of('0', '1', '2', '3', '5', '9', '-', ':', '.', 'T', 't', 'Z', 'z', ' ',
        '+', 'x', '\u0661');
  }

  /** The instant, or the exception's class: what a caller can observe. */
  private static Object outcome(java.util.function.Supplier<Instant> parse) {
    try {
      return parse.get();
    } catch (RuntimeException e) {
      return e.getClass();
    }
  }
}
