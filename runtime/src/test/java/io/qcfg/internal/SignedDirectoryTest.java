package io.qcfg.internal;

import io.qcfg.internal.layer.LayerStack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import io.qcfg.internal.crypto.DirectorySigner;
import io.qcfg.internal.layer.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedDirectoryTest {
  @TempDir Path tmp;

  @Test
  void requiredSignatureRejectsChangedUnsignedAndReplayedDirectories() throws Exception {
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    KeyPair pair = DirectorySigner.generateKeyPair();
    Path pub = tmp.resolve("signing.pub");
    DirectorySigner.writePublic(pub, pair.getPublic());
    QcfgOptions opts = QcfgOptions.resolve(
        Map.of("public-key", pub.toString(), "state", tmp.resolve("state").toString()),
        new Properties(), Map.of());
    Pipeline p = new Pipeline(opts, null, null);
    LayerStack.Request prod = new LayerStack.Request(dir, new Environment("production", "option"),
        Map.of(), new Properties(), Map.of(), null, null);
    LayerStack.Request dev = new LayerStack.Request(dir, new Environment("development", "option"),
        Map.of(), new Properties(), Map.of(), null, null);

    assertThatThrownBy(() -> p.build(prod)).isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("QCFG-4050");
    assertThat(p.build(dev).getInt("a")).isEqualTo(1); // auto: only production requires it

    DirectorySigner.sign(dir, pair.getPrivate());
    String firstSignature = Files.readString(dir.resolve(DirectorySigner.SIGNATURE_FILE));
    assertThat(p.build(prod).getInt("a")).isEqualTo(1);

    Files.writeString(dir.resolve("application.conf"), "a = 2\n");
    assertThatThrownBy(() -> p.build(prod)).hasMessageContaining("application.conf");

    DirectorySigner.sign(dir, pair.getPrivate());
    assertThat(p.build(prod).getInt("a")).isEqualTo(2);

    // Replay: the old, validly signed directory comes back.
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    Files.writeString(dir.resolve(DirectorySigner.SIGNATURE_FILE), firstSignature);
    assertThatThrownBy(() -> p.build(prod)).hasMessageContaining("QCFG-4056");
    // A fresh pipeline (a restart) remembers the sequence from the state directory.
    assertThatThrownBy(() -> new Pipeline(opts, null, null).build(prod))
        .hasMessageContaining("QCFG-4056");
  }
}
