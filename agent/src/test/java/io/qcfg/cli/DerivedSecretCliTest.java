package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13 item 6 through the CLI: a value made from a secret is redacted in every output. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DerivedSecretCliTest {
  @TempDir Path tmp;

  @Test
  void copiesAndConcatenationsOfASecretNeverShow() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"),
        "db.url = \"postgres://app:\"${db.password}\"@db/app\"\ncopy = ${db.password}\n"
            + "host = db\n");
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/db.password"), "hunter2-canary");
    String d = dir.toString();
    for (String[] args : new String[][] {
        {"print", "--dir", d}, {"print", "--json", "--dir", d}, {"print", "--origins", "--dir", d},
        {"render", "--format", "hocon", "--dir", d}, {"render", "--format", "json", "--dir", d},
        {"render", "--format", "properties", "--dir", d},
        {"render", "--format", "k8s-configmap", "--dir", d},
        {"diff", "--dir", d, "--env", "development", "--to-env", "staging"}}) {
      CliRun r = CliRun.of(args);
      assertThat(r.all()).as(String.join(" ", args)).doesNotContain("hunter2-canary");
    }
    assertThat(CliRun.of("print", "--dir", d).out()).contains("host=db").contains("url=\"<redacted>\"");
  }
}
