package io.qcfg.internal.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EtcdOptionsTest {

  @Test
  void endpointsAreSplitTrimmedAndNormalised() {
    assertThat(EtcdOptions.endpoints("http://h1:2379, HTTPS://h2.example:2380/"))
        .containsExactly(URI.create("http://h1:2379"), URI.create("https://h2.example:2380"));
    assertThat(EtcdOptions.endpoints("http://[::1]:2379"))
        .containsExactly(URI.create("http://[::1]:2379"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ftp://h:2379|scheme must be http or https",
        "h1:2379|scheme must be http or https",
        "http://h1|no port",
        "http://h1:2379/v3|no path, query or fragment",
        "http://h1:2379?x=1|no path, query or fragment",
        "http://h 1:2379|malformed URI",
      })
  void badEndpointNamesTheEntryAndTheReason(String option, String reason) {
    assertThatThrownBy(() -> EtcdOptions.endpoints("http://ok:2379," + option))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageStartingWith("option etcd: '" + option + "'")
        .hasMessageContaining(reason)
        .hasMessageEndingWith("[QCFG-4600]");
  }

  @Test
  void emptyEndpointsAreRefused() {
    assertThatThrownBy(() -> EtcdOptions.endpoints(" "))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessage("option etcd: expected http://host:port[,http://host2:port...], found nothing"
            + " [QCFG-4600]");
  }

  @Test
  void emptyEntryIsRefused() {
    assertThatThrownBy(() -> EtcdOptions.endpoints("http://h1:2379,"))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessage("option etcd: 'http://h1:2379,': expected http://host:port[,http://host2:port...],"
            + " found an empty entry [QCFG-4600]");
  }

  @Test
  void passwordInAnEndpointIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> EtcdOptions.endpoints("http://root:hunter2@h1:2379"))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageContaining("no user:password in the URL")
        .hasMessageContaining("'http://***@h1:2379'")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> EtcdOptions.endpoints("http://root:hunter2@"))
        .hasMessageContaining("'http://***@'")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> EtcdOptions.endpoints("http://root:hunter2 x@h1:2379"))
        .hasMessageContaining("malformed URI")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void prefixGetsATrailingSlash() {
    assertThat(EtcdOptions.prefix("/qcfg/shop")).isEqualTo("/qcfg/shop/");
    assertThat(EtcdOptions.prefix(" /qcfg/shop/ ")).isEqualTo("/qcfg/shop/");
    assertThat(EtcdOptions.prefix("qcfg")).isEqualTo("qcfg/");
  }

  @ParameterizedTest
  @CsvSource(value = {"''", "/", "//"})
  void prefixOfNothingIsRefused(String prefix) {
    assertThatThrownBy(() -> EtcdOptions.prefix(prefix))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessage("option etcd-prefix: expected a key prefix such as /qcfg/<app>/, found '"
            + prefix + "' [QCFG-4601]");
  }

  @Test
  void prefixWithControlCharactersIsRefused() {
    assertThatThrownBy(() -> EtcdOptions.prefix("/qcfg/\u0000/"))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageContaining("found control characters [QCFG-4601]");
  }

  @ParameterizedTest
  @CsvSource(value = {"../x", "a/b", "''", ".hidden", "a..b"})
  void environmentThatCannotBePartOfAKeyIsRefused(String env) {
    assertThatThrownBy(() -> EtcdOptions.environment(env))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageStartingWith("etcd: environment '" + env + "': expected letters")
        .hasMessageEndingWith("[QCFG-4602]");
  }

  @Test
  void credentialsNeverShowThePassword(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("password");
    Files.writeString(file, "s3cr3t-pw\n");
    EtcdCredentials c = EtcdCredentials.fromFile("qcfg", file);
    assertThat(c.password()).isEqualTo("s3cr3t-pw");
    assertThat(c.toString()).isEqualTo("EtcdCredentials[user=qcfg, password=***]");

    assertThatThrownBy(() -> EtcdCredentials.fromFile("qcfg", dir.resolve("missing")))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("missing: cannot read the etcd password file: NoSuchFileException"
            + " [QCFG-4608]");
  }
}
