package io.qcfg.internal.layer;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every {@code .conf} file of lightbend/config's test resources that qcfg keeps, for the
 * differential tests: {@code typesafe/} (the conformance material, with its JSON twins) and
 * {@code lightbend-config/resources/} (the rest of that folder). Each file is kept once; both
 * folders carry Lightbend's licence and notice.
 */
final class LightbendConfFiles {
  private LightbendConfFiles() {}

  static List<Path> all() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String root : List.of("typesafe", "lightbend-config/resources")) {
      Path dir;
      try {
        dir = Path.of(LightbendConfFiles.class.getClassLoader().getResource(root).toURI());
      } catch (URISyntaxException e) {
        throw new IOException(e);
      }
      try (Stream<Path> all = Files.walk(dir)) {
        all.filter(p -> p.toString().endsWith(".conf")).sorted().forEach(files::add);
      }
    }
    return files;
  }
}
