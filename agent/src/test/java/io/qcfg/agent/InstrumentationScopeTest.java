package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InstrumentationScopeTest {
  @Test
  void neverTheJdkOrQcfgItself() {
    InstrumentationScope all = InstrumentationScope.of(List.of());
    assertThat(all.accepts("com/acme/Foo")).isTrue();
    assertThat(all.accepts("Foo")).isTrue();
    for (String n :
        List.of("java/lang/String", "javax/net/X", "jdk/internal/Y", "sun/misc/Z",
            "com/sun/net/W", "io/qcfg/agent/Hooks", "io/qcfg/shaded/typesafe/config/Config")) {
      assertThat(all.accepts(n)).as(n).isFalse();
    }
  }

  @Test
  void packagesArePrefixesOfWholePackageNames() {
    InstrumentationScope s = InstrumentationScope.of(List.of("com.acme", " org.shop.* "));
    assertThat(s.accepts("com/acme/Foo")).isTrue();
    assertThat(s.accepts("com/acme/billing/Invoice")).isTrue();
    assertThat(s.accepts("org/shop/Cart")).isTrue();
    assertThat(s.accepts("com/acmeco/Foo")).isFalse(); // not a sub-package
    assertThat(s.accepts("com/other/Foo")).isFalse();
    assertThat(s.acceptsBinaryName("com.acme.Foo$Inner")).isTrue();
    // The JDK stays out even when listed.
    assertThat(InstrumentationScope.of(List.of("java.lang")).accepts("java/lang/String")).isFalse();
  }
}
