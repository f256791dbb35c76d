package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import io.qcfg.QcfgException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * Differential: generated layer stacks with substitutions ({@code ${x}}, {@code ${?x}},
 * self-references, {@code +=}, concatenation, objects merging across layers, an include,
 * environment variables on and off the allow list) give qcfg's effective tree equal to Typesafe
 * Config's: the same files parsed by Typesafe, merged in qcfg's order, the allowed variables as a
 * fallback, resolved once. Where Typesafe fails, qcfg gives a problem, never another exception.
 * 500 tries in {@code verify}; 10,000 under {@code -Pnightly}.
 */
class DifferentialResolutionPropertiesTest {
  static final List<String> KEYS = List.of("a", "b", "c", "obj.x", "obj.y");
  static final List<String> PLAIN = List.of("a", "b", "c");
  static final List<String> VARS = List.of("ENV_A", "ENV_B", "ENV_C");

  /** One generated case: file texts (null = absent), the process environment, the allow list. */
  record Stack(Map<String, String> files, Map<String, String> env, String substitute) {}

  @Property(tries = 500)
  void sameTreeAsTypesafe(@ForAll("stacks") Stack stack) throws Exception {
    check(stack);
  }

  @Property(tries = 10_000)
  @Tag("nightly")
  void sameTreeAsTypesafeNightly(@ForAll("stacks") Stack stack) throws Exception {
    check(stack);
  }

  @Provide
  Arbitrary<Stack> stacks() {
    Arbitrary<String> file = statement().list().ofMinSize(1).ofMaxSize(6)
        .map(l -> String.join("\n", l) + "\n");
    Arbitrary<String> optionalFile = Arbitraries.oneOf(file, Arbitraries.just(null));
    Arbitrary<String> base = Combinators.combine(file, Arbitraries.of(true, false))
        .as((text, include) -> include ? "include \"inc\"\n" + text : text);
    Arbitrary<Map<String, String>> env = Arbitraries.subsetOf(VARS).map(names -> {
      Map<String, String> m = new HashMap<>();
      for (String n : names) {
        m.put(n, n.equals("ENV_B") ? "12" : n.toLowerCase());
      }
      return m;
    });
    Arbitrary<String> substitute = Arbitraries.of("default", "*", "ENV_A", "ENV_A:ENV_B", "");
    return Combinators.combine(base, optionalFile, optionalFile, optionalFile, env, substitute)
        .as((app, envLayer, local, inc, vars, sub) -> {
          Map<String, String> files = new HashMap<>();
          files.put("application.conf", app);
          files.put("environments/development.conf", envLayer);
          files.put("local.conf", local);
          files.put("inc.conf", inc);
          return new Stack(files, vars, sub.equals("default") ? null : sub);
        });
  }

  static Arbitrary<String> statement() {
    Arbitrary<String> key = Arbitraries.of(KEYS);
    Arbitrary<String> plain = Arbitraries.of(PLAIN);
    Arbitrary<String> var = Arbitraries.of(VARS);
    Arbitrary<String> literal = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 99).map(String::valueOf),
        Arbitraries.of("\"s1\"", "\"s2\"", "true"));
    return Arbitraries.oneOf(
        Combinators.combine(key, literal).as((k, v) -> k + " = " + v),
        Combinators.combine(key, key).as((k, o) -> k + " = ${" + o + "}"),
        Combinators.combine(key, key).as((k, o) -> k + " = ${?" + o + "}"),
        Combinators.combine(key, var).as((k, v) -> k + " = ${?" + v + "}"),
        Combinators.combine(key, var).as((k, v) -> k + " = ${" + v + "}"),
        plain.map(k -> k + " = ${" + k + "}\"-x\""),
        plain.map(k -> k + " = ${?" + k + "}\"-y\""),
        Combinators.combine(plain, key).as((k, o) -> k + " = \"p-\"${" + o + "}"),
        Arbitraries.of("l = [1, 2]", "l += 3", "l += ${?b}", "l += \"z\""),
        Arbitraries.of("obj { x = 1 }", "obj = { y = \"o\" }", "obj = ${?ENV_A}",
            "copy = ${obj}", "copy = ${?obj} { z = 1 }"));
  }

  void check(Stack stack) throws Exception {
    Path dir = Files.createTempDirectory("qcfg-diff");
    try {
      for (var e : stack.files().entrySet()) {
        if (e.getValue() != null) {
          Path p = dir.resolve(e.getKey());
          Files.createDirectories(p.getParent());
          Files.writeString(p, e.getValue());
        }
      }
      LayerStack.Request req = new LayerStack.Request(dir, new Environment("development", "test"),
          Map.of(), new Properties(), stack.env(), stack.substitute(), null);
      Object expected;
      try {
        expected = typesafe(dir, LayerStack.allowedVariables(req));
      } catch (ConfigException e) {
        try {
          new LayerStack(new LayerFileReader(Limits.DEFAULT), null).load(req);
        } catch (QcfgException.Invalid ok) {
          return;
        }
        throw new AssertionError("Typesafe fails (" + e.getClass().getSimpleName()
            + ") but qcfg loads " + stack);
      }
      Object actual;
      try {
        actual = new LayerStack(new LayerFileReader(Limits.DEFAULT), null).load(req)
            .config().root().unwrapped();
      } catch (QcfgException.Invalid e) {
        throw new AssertionError("qcfg fails (" + e.getMessage() + ") where Typesafe gives "
            + expected + " for " + stack);
      }
      assertThat(actual).as("%s", stack).isEqualTo(expected);
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Typesafe alone: parse each layer, merge in qcfg's order, variables as fallback, resolve. */
  static Object typesafe(Path dir, Map<String, String> allowed) {
    Config merged = ConfigFactory.empty();
    for (String name : List.of("application.conf", "environments/development.conf", "local.conf")) {
      Path f = dir.resolve(name);
      if (Files.exists(f)) {
        merged = ConfigFactory.parseFile(f.toFile(),
            ConfigParseOptions.defaults().setAllowMissing(false)).withFallback(merged);
      }
    }
    Config resolved = merged.withFallback(ConfigFactory.parseMap(allowed))
        .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
    ConfigObject root = resolved.root();
    for (String name : new ArrayList<>(allowed.keySet())) {
      root = root.withoutKey(name);
    }
    return root.unwrapped();
  }
}
