package io.qcfg.internal.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigUtil;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every name {@link ConfigExporter#dotenvName} accepts decodes back to the same path. */
class DotenvNameProperties {

  @Provide
  Arbitrary<List<String>> paths() {
    Arbitrary<String> segment =
        Arbitraries.strings()
            .withChars("aZ09_-")
            .withCharRange('a', 'c')
            .ofMinLength(1)
            .ofMaxLength(6);
    return segment.list().ofMinSize(1).ofMaxSize(4);
  }

  @Property(tries = 500)
  void acceptedNamesRoundTripThroughTypesafe(@ForAll("paths") List<String> segments) {
    String path = ConfigUtil.joinPath(segments);
    String name;
    try {
      name = ConfigExporter.dotenvName(path);
    } catch (IllegalArgumentException refused) {
      // Refused only when some key starts or ends with '-'/'_' or doubles them.
      assertThat(segments).anyMatch(s -> !s.matches("[A-Za-z0-9]+([-_][A-Za-z0-9]+)*"));
      return;
    }
    assertThat(name).matches("[A-Za-z_][A-Za-z0-9_]*");
    assertThat(TypesafeEnvNames.decode(name)).isEqualTo(String.join(".", segments));
  }
}
