package io.qcfg.internal.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.QcfgException;
import java.net.URI;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The option parsers take text from users: any input ends in a value or a BadOption. */
class EtcdOptionsPropertiesTest {

  @Provide
  Arbitrary<String> optionText() {
    Arbitrary<String> noise = Arbitraries.strings().all().ofMaxLength(60);
    Arbitrary<String> urlish =
        Arbitraries.of("http://", "https://", "ftp://", "", "http://u:p@")
            .flatMap(scheme -> Arbitraries.strings()
                .withChars("abc.:/[]@?#%,0123456789 \u00e4")
                .ofMaxLength(30)
                .map(rest -> scheme + rest));
    return Arbitraries.oneOf(noise, urlish);
  }

  @Property(tries = 2000)
  void endpointsAreValidOrBadOption(@ForAll("optionText") String option) {
    try {
      List<URI> uris = EtcdOptions.endpoints(option);
      assertThat(uris).isNotEmpty().allSatisfy(u -> {
        assertThat(u.getScheme()).isIn("http", "https");
        assertThat(u.getPort()).isPositive();
        assertThat(u.getRawUserInfo()).isNull();
      });
    } catch (QcfgException.BadOption e) {
      assertThat(e.id()).isEqualTo("QCFG-4600");
      assertThat(e.getMessage()).doesNotContain(":p@");
    }
  }

  @Property(tries = 1000)
  void prefixIsNormalisedOrBadOption(@ForAll("optionText") String option) {
    try {
      String p = EtcdOptions.prefix(option);
      assertThat(p).endsWith("/").isNotEqualTo("/");
      assertThat(EtcdOptions.prefix(p)).isEqualTo(p);
    } catch (QcfgException.BadOption e) {
      assertThat(e.id()).isEqualTo("QCFG-4601");
    }
  }
}
