package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import io.qcfg.QcfgException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance with lightbend/config's own test material (src/test/resources/typesafe, Apache
 * 2.0): every {@code equivNN} file gives qcfg's effective tree equal to its {@code original.json},
 * and every top-level {@code testNN.conf} gives the tree Typesafe's own parse and resolve gives
 * (or, where Typesafe fails, a qcfg problem).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TypesafeConformanceTest {
  @TempDir Path tmp;

  /**
   * Where qcfg differs on purpose (README, Layers in detail): test08's {@code include
   * "/test-lib.conf"} is an absolute path outside the configuration directory, refused even though
   * Typesafe would find nothing there and look on the class path.
   */
  static final Map<String, String> REFUSED_ON_PURPOSE =
      Map.of("test08.conf", "leaves the configuration directory");

  static Path material() throws URISyntaxException {
    return Path.of(TypesafeConformanceTest.class.getResource("/typesafe/NOTICE.md").toURI())
        .getParent();
  }

  /** The folder copied to a fresh config directory, with {@code file} as application.conf. */
  Path configDir(Path folder, Path file, String name) throws IOException {
    Path dir = tmp.resolve(name);
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path to = dir.resolve(folder.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    Files.copy(file, dir.resolve("application.conf"));
    return dir;
  }

  static Object qcfgTree(Path dir) {
    return new LayerStack(new LayerFileReader(Limits.DEFAULT), null)
        .load(new LayerStack.Request(dir, new Environment("development", "test"), Map.of(),
            new Properties(), Map.of(), null, null))
        .config().root().unwrapped();
  }

  @TestFactory
  List<DynamicTest> equivalentFilesGiveTheOriginalJson() throws Exception {
    List<DynamicTest> out = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      Path folder = material().resolve("equiv0" + i);
      Object expected = ConfigFactory.parseFile(folder.resolve("original.json").toFile())
          .resolve().root().unwrapped();
      try (Stream<Path> files = Files.list(folder)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          if (f.getFileName().toString().equals("original.json")) {
            continue;
          }
          String name = folder.getFileName() + "-" + f.getFileName();
          out.add(DynamicTest.dynamicTest(name, () ->
              assertThat(qcfgTree(configDir(folder, f, name))).isEqualTo(expected)));
        }
      }
    }
    assertThat(out).hasSize(15);
    return out;
  }

  @TestFactory
  List<DynamicTest> testFilesGiveWhatTypesafeGives() throws Exception {
    List<DynamicTest> out = new ArrayList<>();
    Path folder = material();
    for (int i = 1; i <= 12; i++) {
      Path f = folder.resolve(String.format("test%02d.conf", i));
      String name = f.getFileName().toString();
      out.add(DynamicTest.dynamicTest(name, () -> {
        Path dir = configDir(folder, f, name.replace(".conf", ""));
        if (REFUSED_ON_PURPOSE.containsKey(name)) {
          assertThatThrownBy(() -> qcfgTree(dir)).isInstanceOf(QcfgException.Invalid.class)
              .hasMessageContaining(REFUSED_ON_PURPOSE.get(name));
          return;
        }
        Object expected;
        try {
          expected = ConfigFactory.parseFile(dir.resolve("application.conf").toFile(),
                  ConfigParseOptions.defaults().setAllowMissing(false))
              .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false))
              .root().unwrapped();
        } catch (ConfigException e) {
          assertThatThrownBy(() -> qcfgTree(dir)).isInstanceOf(QcfgException.Invalid.class);
          return;
        }
        assertThat(qcfgTree(dir)).isEqualTo(expected);
      }));
    }
    return out;
  }
}
