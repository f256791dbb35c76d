package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code print --json} and every JSON export are JSON, whatever the numbers (issue 13 item 3). */
class NumberOutputTest {
  @TempDir Path dir;

  @Test
  void aNumberBeyondDoubleIsAProblemNotInfinity() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "a = 1\nbig = 1e400\n");
    String[][] runs = {
      {"validate"}, {"print"}, {"print", "--json"}, {"print", "--json", "--origins"},
      {"render", "--format", "json"}, {"render", "--format", "properties"},
    };
    for (String[] args : runs) {
      CliRun r = CliRun.of(concat(args, "--dir", dir.toString(), "--state", dir.resolve("s").toString()));
      assertThat(r.status()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(r.all())
          .as(String.join(" ", args))
          .contains("application.conf:2")
          .contains("big")
          .contains("QCFG-1206")
          .doesNotContain("Infinity")
          .doesNotContain("JSONException");
    }
  }

  @Test
  void bigAndPreciseNumbersPrintAsValidJson() throws Exception {
    Files.writeString(
        dir.resolve("application.conf"),
        "big = 123456789012345678901234567890\nd = 0.10000000000000000000001\nn = -1e300\n");
    ObjectMapper json = new ObjectMapper();
    for (String[] args :
        new String[][] {{"print", "--json"}, {"print", "--json", "--origins"}, {"render", "--format", "json"}}) {
      CliRun r = CliRun.of(concat(args, "--dir", dir.toString(), "--state", dir.resolve("s").toString()));
      assertThat(r.status()).as(r.all()).isZero();
      json.readTree(r.out()); // throws on anything that is not JSON
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
