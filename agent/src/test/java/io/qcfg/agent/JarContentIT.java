package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** qcfg.jar must not put any class outside io.qcfg on the host application's class path. */
class JarContentIT {
  @Test
  void everyClassIsUnderIoQcfg() throws Exception {
    List<String> outside = new ArrayList<>();
    int classes = 0;
    try (JarFile jar = new JarFile(AppJvm.jar().toFile())) {
      for (JarEntry e : java.util.Collections.list(jar.entries())) {
        String name = e.getName();
        if (e.isDirectory() || name.startsWith("META-INF/") && !name.endsWith(".class")) {
          continue;
        }
        if (name.endsWith(".class")) {
          classes++;
        }
        // Resources may live elsewhere only if they belong to a relocated library's own data.
        if (!name.startsWith("io/qcfg/")) {
          outside.add(name);
        }
      }
    }
    assertThat(classes).isGreaterThan(1000);
    assertThat(outside).isEmpty();
  }

  @Test
  void theManifestMakesItAnAgent() throws Exception {
    try (JarFile jar = new JarFile(AppJvm.jar().toFile())) {
      Attributes a = jar.getManifest().getMainAttributes();
      assertThat(a.getValue("Premain-Class")).isEqualTo("io.qcfg.agent.QcfgAgent");
      assertThat(a.getValue("Agent-Class")).isEqualTo("io.qcfg.agent.QcfgAgent");
      assertThat(a.getValue("Can-Retransform-Classes")).isEqualTo("true");
      assertThat(a.getValue("Multi-Release")).isNull();
    }
  }
}
