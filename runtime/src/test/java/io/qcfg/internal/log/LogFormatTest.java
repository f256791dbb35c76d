package io.qcfg.internal.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcfg.QcfgException;
import io.qcfg.internal.QcfgOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code log} option's formats and its parsing. */
@Timeout(30)
class LogFormatTest {
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  @AfterEach
  void restore() {
    Log.configure(LogOption.DEFAULT);
    Log.setLevel(Log.Level.INFO);
    Log.redirect(System.err);
  }

  private String[] lines() {
    return logged.toString(StandardCharsets.UTF_8).split("\n");
  }

  @Test
  void stderrLinesStartWithAFullDateTimeWithOffset() {
    Log.redirect(new PrintStream(logged, true, StandardCharsets.UTF_8));
    Log.configure(LogOption.DEFAULT);
    Log.warn("QCFG-1508: cannot write history");
    String line = lines()[0];
    assertThat(line).matches(
        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) \\[qcfg\\] WARN"
            + " QCFG-1508: cannot write history");
    OffsetDateTime.parse(line.substring(0, line.indexOf(' '))); // ISO-8601, parseable
  }

  @Test
  void theTimeIsWhatTheDateTimePatternWritesInTheJvmZone() {
    java.time.format.DateTimeFormatter pattern = java.time.format.DateTimeFormatter
        .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", java.util.Locale.ROOT);
    java.time.ZoneId zone = java.time.ZoneId.systemDefault();
    for (long ms : new long[] {0, -1, 1_796_413_796_577L, 1_711_846_799_999L, 1_711_846_800_000L,
        -62_135_596_800_001L, 253_402_300_800_000L, System.currentTimeMillis()}) {
      java.time.Instant at = java.time.Instant.ofEpochMilli(ms);
      assertThat(LogFormat.time(ms)).as("%d", ms)
          .isEqualTo(pattern.format(OffsetDateTime.ofInstant(at, zone)));
    }
  }

  /**
   * The offset of the log's time (from {@code java.util.TimeZone} between 1900 and 2036, so that
   * the first log line loads no ZoneRulesProvider) against {@code ZoneId}'s rules, in every zone
   * the JDK knows, at instants anywhere in years 1-9999 and more often inside the window.
   */
  @net.jqwik.api.Property(tries = 300)
  void theOffsetIsTheZoneRulesOffsetInEveryZone(
      @net.jqwik.api.ForAll @net.jqwik.api.constraints.LongRange(min = -2_208_988_800_000L,
          max = 2_082_758_399_999L) long inside,
      @net.jqwik.api.ForAll @net.jqwik.api.constraints.LongRange(min = -62_135_596_800_000L,
          max = 253_402_300_799_999L) long anywhere) {
    for (String id : java.time.ZoneId.getAvailableZoneIds()) {
      java.util.TimeZone zone = java.util.TimeZone.getTimeZone(id);
      for (long ms : new long[] {inside, anywhere, LogFormat.SAME_OFFSETS_FROM,
          LogFormat.SAME_OFFSETS_UNTIL - 1, LogFormat.SAME_OFFSETS_UNTIL}) {
        assertThat(LogFormat.offsetSeconds(zone, ms)).as("%s at %d", id, ms).isEqualTo(
            java.time.ZoneId.of(id).getRules().getOffset(java.time.Instant.ofEpochMilli(ms))
                .getTotalSeconds());
      }
    }
  }

  @Test
  void theMessageIdIsTheFirstQcfgDashFourAsciiDigits() {
    java.util.regex.Pattern id = java.util.regex.Pattern.compile("QCFG-\\d{4}");
    for (String m : new String[] {"", "QCFG-1", "QCFG-123x QCFG-4567", "a QCFG-12345", "QCFG-",
        "QCFG-QCFG-1234", "QCFG-\u0661\u0662\u0663\u0664 QCFG-0001", "no id", "xQCFG-9999"}) {
      java.util.regex.Matcher matcher = id.matcher(m);
      int at = LogFormat.messageId(m);
      assertThat(at).as(m).isEqualTo(matcher.find() ? matcher.start() : -1);
    }
  }

  @Test
  void jsonGivesOneObjectPerLineWithIdVersionAndEscapedMessage() throws Exception {
    Log.redirect(new PrintStream(logged, true, StandardCharsets.UTF_8));
    Log.configure(new LogOption(LogFormat.JSON, null));
    Log.info("started: version 1");
    Log.startupDone(() -> 7);
    Log.error("QCFG-1501: rejected a new configuration (file-change: a.conf); keeping version 7:"
        + "\n  config/a.conf:3: \"quoted\" \\ back\tslash \u0001");
    String[] lines = lines();
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines[0]);
    assertThat(first.get("level").asText()).isEqualTo("INFO");
    assertThat(first.has("id")).isFalse();
    assertThat(first.has("version")).isFalse(); // not known before the first snapshot
    OffsetDateTime.parse(first.get("time").asText());
    JsonNode second = json.readTree(lines[1]);
    assertThat(second.get("level").asText()).isEqualTo("ERROR");
    assertThat(second.get("id").asText()).isEqualTo("QCFG-1501");
    assertThat(second.get("version").asLong()).isEqualTo(7);
    assertThat(second.get("message").asText())
        .endsWith("config/a.conf:3: \"quoted\" \\ back\tslash \u0001")
        .contains("\n");
  }

  @Test
  void theOptionTakesAFormatALevelOrBoth() {
    assertThat(LogOption.parse("json")).isEqualTo(new LogOption(LogFormat.JSON, null));
    assertThat(LogOption.parse("SYSTEM:debug"))
        .isEqualTo(new LogOption(LogFormat.SYSTEM, Log.Level.DEBUG));
    assertThat(LogOption.parse("debug")) // QCFG_LOG=debug, the level switch of old
        .isEqualTo(new LogOption(LogFormat.STDERR, Log.Level.DEBUG));
    assertThat(LogOption.parse("warn:json"))
        .isEqualTo(new LogOption(LogFormat.JSON, Log.Level.WARN));
    assertThat(LogOption.parse("json:system")).isNull();
    assertThat(LogOption.parse("loud")).isNull();
    assertThat(LogOption.parse("json:debug:x")).isNull();
  }

  @Test
  void optionsResolveLogFromTheEnvironmentVariableAndRefuseNonsense() {
    assertThat(QcfgOptions.resolve(Map.of(), new Properties(), Map.of()).log())
        .isEqualTo(LogOption.DEFAULT);
    assertThat(QcfgOptions.resolve(Map.of(), new Properties(), Map.of("QCFG_LOG", "json")).log())
        .isEqualTo(new LogOption(LogFormat.JSON, null));
    assertThat(QcfgOptions.resolve(Map.of(), new Properties(), Map.of("QCFG_LOG", "debug")).log())
        .isEqualTo(new LogOption(LogFormat.STDERR, Log.Level.DEBUG));
    assertThatThrownBy(() -> QcfgOptions.resolve(Map.of("log", "loud"), new Properties(), Map.of()))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageContaining("option log: expected stderr, json or system");
  }

  @Test
  void systemFormatUsesStderrUntilStartUpIsDoneAndOffQcfgThreads() {
    Log.redirect(new PrintStream(logged, true, StandardCharsets.UTF_8));
    Log.configure(new LogOption(LogFormat.SYSTEM, null));
    Log.info("before start-up is done");
    Log.startupDone(() -> 1);
    Log.info("on a test thread, before any qcfg thread touched System.Logger");
    assertThat(lines()).hasSize(2);
    assertThat(lines()[1]).contains("[qcfg] on a test thread");
  }
}
