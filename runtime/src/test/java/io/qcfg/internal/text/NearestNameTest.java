package io.qcfg.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NearestNameTest {
  private static final List<String> OPTIONS = List.of("dir", "env", "state", "watch", "history");

  @Test
  void typosFindTheirName() {
    assertThat(NearestName.of("dri", OPTIONS)).contains("dir"); // transposition
    assertThat(NearestName.of("stat", OPTIONS)).contains("state"); // deletion
    assertThat(NearestName.of("histroy", OPTIONS)).contains("history");
    assertThat(NearestName.of("watchh", OPTIONS)).contains("watch");
  }

  @Test
  void farNamesSuggestNothing() {
    assertThat(NearestName.of("colour", OPTIONS)).isEmpty();
    assertThat(NearestName.hint("xyz", OPTIONS)).isEmpty();
    assertThat(NearestName.hint("evn", OPTIONS)).isEqualTo(" (did you mean 'env'?)");
  }

  @Test
  void distanceIsSymmetricAndZeroOnlyForEqualNames() {
    assertThat(NearestName.distance("state", "state")).isZero();
    assertThat(NearestName.distance("abc", "")).isEqualTo(3);
    assertThat(NearestName.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(NearestName.distance("sitting", "kitten")).isEqualTo(3);
  }
}
