package io.qcfg.internal.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test fixtures under src/test/resources/migrate and small file helpers. */
final class Fixtures {
  private Fixtures() {}

  /** The fixture directory {@code migrate/<name>} on the test class path. */
  static Path fixture(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/migrate/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Copies fixture {@code name} into {@code target} and returns {@code target}. */
  static Path copy(String name, Path target) {
    Path src = fixture(name);
    try (Stream<Path> walk = Files.walk(src)) {
      for (Path p : walk.toList()) {
        Path t = target.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  static Path write(Path dir, String rel, String text) {
    Path file = dir.resolve(rel);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  static Config parse(Path file) {
    return ConfigFactory.parseFile(file.toFile());
  }

  /** Every regular file under {@code dir} with its bytes as text, by relative path. */
  static Map<String, String> snapshot(Path dir) {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(), Files.readString(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The problems of the {@link QcfgException.Invalid} that {@code call} must throw. */
  static List<Problem> problems(ThrowingCallable call) {
    QcfgException.Invalid e = catchThrowableOfType(QcfgException.Invalid.class, call);
    assertThat(e).as("expected QcfgException.Invalid").isNotNull();
    return e.problems();
  }

  /** The only problem of the {@link QcfgException.Invalid} that {@code call} must throw. */
  static Problem problem(ThrowingCallable call) {
    List<Problem> problems = problems(call);
    assertThat(problems).hasSize(1);
    return problems.get(0);
  }
}
