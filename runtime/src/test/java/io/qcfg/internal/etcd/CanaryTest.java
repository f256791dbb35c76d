package io.qcfg.internal.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class CanaryTest {
  @TempDir Path tmp;

  @Test
  void bucketIsSha256OfTheIdModHundredAsPythonComputesIt() {
    // hashlib.sha256(s.encode()).digest()[:8] as a big-endian unsigned number, mod 100
    assertThat(Canary.bucket("a")).isEqualTo(50);
    assertThat(Canary.bucket("jvm-1")).isEqualTo(6);
    assertThat(Canary.bucket("host-123-456")).isEqualTo(66);
  }

  @Test
  void selectionIsMonotoneAndRoughlyProportional() {
    long at10 = IntStream.range(0, 10_000).filter(i -> Canary.selected("i" + i, 10)).count();
    assertThat(at10).isBetween(850L, 1150L);
    for (int i = 0; i < 1000; i++) {
      String id = "i" + i;
      if (Canary.selected(id, 10)) {
        assertThat(Canary.selected(id, 50)).as("a step up keeps every canary").isTrue();
      }
      assertThat(Canary.selected(id, 100)).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0%", "101%", "-5", "ten", "", "10.5%"})
  void percentOutsideOneToHundredIsAUsageError(String s) {
    assertThatThrownBy(() -> Canary.percent(s)).isInstanceOf(QcfgException.BadOption.class)
        .hasMessageContaining("QCFG-4650");
  }

  @Test
  void percentAcceptsWithAndWithoutSign() {
    assertThat(Canary.percent("10%")).isEqualTo(10);
    assertThat(Canary.percent(" 100 ")).isEqualTo(100);
    assertThat(Canary.percent("1%")).isEqualTo(1);
  }

  @Test
  void rolloutRecordRoundTripsAndGarbageIsNull() {
    RolloutRecord r = new RolloutRecord(7, 9, 20, 1234, 30_000, "canary");
    assertThat(RolloutRecord.parse(r.toJson(), 7, 9)).isEqualTo(r);
    assertThat(RolloutRecord.parse(r.withPercent(50).toJson(), 7, 11).percent()).isEqualTo(50);
    assertThat(RolloutRecord.parse("{\"percent\":0,\"started\":1}", 1, 1)).isNull();
    assertThat(RolloutRecord.parse("not json", 1, 1)).isNull();
    assertThat(RolloutRecord.parse("[1]", 1, 1)).isNull();
  }

  @Test
  void statusEntryRoundTripsAndForeignValuesAreNull() {
    StatusEntry e = new StatusEntry("jvm-1", 3, "abc", "off", true, 0, 7, 12);
    assertThat(StatusEntry.parse(e.toJson())).isEqualTo(e);
    assertThat(StatusEntry.parse("{\"instance\":\"x\"}")).isNull();
    assertThat(StatusEntry.parse("hello")).isNull();
  }

  @Test
  void instanceIdOptionWinsElseWrittenOnceAndReused() throws Exception {
    assertThat(InstanceId.of("web-1", tmp)).isEqualTo("web-1");
    String id = InstanceId.of(null, tmp.resolve("s"));
    assertThat(Files.readString(tmp.resolve("s/instance-id")).trim()).isEqualTo(id);
    assertThat(id).matches("[A-Za-z0-9._-]+-" + ProcessHandle.current().pid() + "-[0-9]+");
    Files.createDirectories(tmp.resolve("t"));
    Files.writeString(tmp.resolve("t/instance-id"), "kept-id\n");
    assertThat(InstanceId.of(" ", tmp.resolve("t"))).isEqualTo("kept-id");
  }
}
