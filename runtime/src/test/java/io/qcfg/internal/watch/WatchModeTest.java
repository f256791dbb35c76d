package io.qcfg.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WatchModeTest {
  @Test
  void parsesTrueFalseAnyCaseAndBlanks() {
    assertThat(WatchMode.parse("true")).isEqualTo(WatchMode.NATIVE);
    assertThat(WatchMode.parse(" TRUE ")).isEqualTo(WatchMode.NATIVE);
    assertThat(WatchMode.parse("false")).isEqualTo(WatchMode.OFF);
    assertThat(WatchMode.parse("False")).isEqualTo(WatchMode.OFF);
  }

  @ParameterizedTest
  @CsvSource({
    "poll:2s, 2000",
    "poll:500ms, 500",
    "POLL:100MS, 100",
    "poll: 3 s, 3000",
    "poll:1m, 60000",
    "poll:1h, 3600000"
  })
  void parsesPollIntervals(String option, long millis) {
    assertThat(WatchMode.parse(option)).isEqualTo(new WatchMode.Poll(Duration.ofMillis(millis)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "", "on", "poll", "pol:2s", "truee"})
  void unknownValueIsABadOptionNamingTheValue(String option) {
    assertThatThrownBy(() -> WatchMode.parse(option))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageStartingWith("option watch: expected true, false or poll:<interval>")
        .hasMessageContaining("found \"" + option + "\"")
        .hasMessageContaining("[QCFG-4301]");
  }

  @Test
  void nullIsABadOption() {
    assertThatThrownBy(() -> WatchMode.parse(null))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageContaining("option watch: expected true, false or poll:<interval>")
        .hasMessageContaining("found nothing [QCFG-4301]");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "poll:",
        "poll:2x",
        "poll:-1s",
        "poll:2",
        "poll:1.5s",
        "poll:s",
        "poll:2s5",
        "poll:PT2S",
        "poll:9999999999s"
      })
  void badIntervalSyntaxIsABadOptionNamingTheValue(String option) {
    assertThatThrownBy(() -> WatchMode.parse(option))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageStartingWith(
            "option watch: expected a poll interval as a whole number with unit ms, s, m or h")
        .hasMessageContaining("found \"" + option + "\"")
        .hasMessageContaining("[QCFG-4302]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"poll:0ms", "poll:99ms", "poll:0s", "poll:61m", "poll:2h"})
  void intervalOutOfRangeIsABadOption(String option) {
    assertThatThrownBy(() -> WatchMode.parse(option))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageStartingWith("option watch: expected a poll interval from 100ms to 1h")
        .hasMessageContaining("found \"" + option + "\"")
        .hasMessageContaining("[QCFG-4303]");
  }

  @Test
  void rendersAsTheOptionValue() {
    assertThat(WatchMode.NATIVE).hasToString("true");
    assertThat(WatchMode.OFF).hasToString("false");
    assertThat(WatchMode.parse("poll:2s")).hasToString("poll:2000ms");
    assertThat(WatchMode.parse(WatchMode.parse("poll:2s").toString()))
        .isEqualTo(WatchMode.parse("poll:2s"));
  }
}
