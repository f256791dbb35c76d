package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.crypto.Hmac;
import io.qcfg.internal.layer.Environment;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The substituted environment variables' part of the fast start's fingerprint. */
@Timeout(30)
class StartInputsVariablesTest {
  private static final String NAME = "substituted environment variables";

  @TempDir Path tmp;

  private StartInputs inputs() {
    QcfgOptions options = QcfgOptions.resolve(
        Map.of("dir", tmp.resolve("config").toString(), "substitute", "*"), new Properties(),
        Map.of());
    return new StartInputs(options, ClassLoader.getSystemClassLoader(),
        () -> new Hmac(new byte[32]));
  }

  /**
   * No substitution read a variable: the digest is the one of nothing, as the fingerprints that
   * earlier qcfg builds kept say (they are still trusted), and the environment is not copied.
   */
  @Test
  void noVariableGivesTheDigestOfNothing() throws Exception {
    String none = inputs().others(new Environment("staging", "option"), Map.of(), List.of(),
        List.of()).get(NAME);
    assertThat(none).isEqualTo(HexFormat.of().formatHex(new Hmac(new byte[32]).doFinal()));
  }

  @Test
  void aVariableASubstitutionMayReadCounts() throws Exception {
    assumeTrue(System.getenv("PATH") != null);
    Environment env = new Environment("staging", "option");
    String none = inputs().others(env, Map.of(), List.of(), List.of()).get(NAME);
    String path = inputs().others(env, Map.of(), List.of(), List.of("PATH")).get(NAME);
    String missing = inputs().others(env, Map.of(), List.of(), List.of("QCFG_NO_SUCH_VARIABLE_16"))
        .get(NAME);
    assertThat(path).isNotEqualTo(none).isNotEqualTo(missing);
    assertThat(missing).isNotEqualTo(none);
  }
}
