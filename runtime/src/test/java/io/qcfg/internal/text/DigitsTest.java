package io.qcfg.internal.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** Differential against {@code String.format} in the root locale. */
class DigitsTest {

  @Property(tries = 1000)
  void zeroPaddedIsFormatsZeroPaddedDecimal(@ForAll @LongRange(min = 0) long v) {
    assertThat(Digits.zeroPadded(v, 19)).isEqualTo(String.format(Locale.ROOT, "%019d", v));
  }

  @Property(tries = 1000)
  void hexIsFormatsZeroPaddedHex(@ForAll @LongRange(min = 0, max = 0xFFFFFFFFL) long v) {
    assertThat(Digits.hex(v, 8)).isEqualTo(String.format(Locale.ROOT, "%08x", v));
  }

  @Example
  void negativeNumbersAreRefused() {
    assertThatThrownBy(() -> Digits.zeroPadded(-1, 19)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Digits.hex(-1, 8)).isInstanceOf(IllegalArgumentException.class);
  }
}
