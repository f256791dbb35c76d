package io.qcfg.internal.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EtcdKeysTest {

  @Test
  void prefixEndIncrementsTheLastByteBelowFf() {
    assertThat(EtcdKeys.prefixEnd(EtcdKeys.bytes("/qcfg/a/"))).isEqualTo(EtcdKeys.bytes("/qcfg/a0"));
    assertThat(EtcdKeys.prefixEnd(new byte[] {'a', (byte) 0xff})).isEqualTo(new byte[] {'b'});
    assertThat(EtcdKeys.prefixEnd(new byte[] {(byte) 0xff})).isEqualTo(new byte[] {0});
  }

  @Test
  void keysCompareAsUnsignedBytesLikeEtcd() {
    byte[] ascii = EtcdKeys.bytes("/z");
    byte[] umlaut = EtcdKeys.bytes("/ä"); // 0xc3 0xa4: above every ASCII byte
    assertThat(EtcdKeys.compare(ascii, umlaut)).isNegative();
    assertThat(EtcdKeys.compare(EtcdKeys.bytes("a"), EtcdKeys.successor(EtcdKeys.bytes("a"))))
        .isNegative();
  }

  @Test
  void strictUtf8() {
    assertThat(EtcdKeys.utf8OrNull("grüße".getBytes(StandardCharsets.UTF_8))).isEqualTo("grüße");
    assertThat(EtcdKeys.utf8OrNull(new byte[] {'a', (byte) 0xc3})).isNull();
  }
}
