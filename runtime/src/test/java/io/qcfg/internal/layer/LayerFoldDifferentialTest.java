package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.impl.QcfgLayerFold;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tag;

/**
 * Differential (issue 19): the one-walk merge of the layers ({@link IncrementalMerge#full}, by
 * {@link QcfgLayerFold}) against Typesafe's own fold, one {@code withFallback} per group
 * ({@link IncrementalMerge#typesafeFold}), on random layered trees: nested objects, the same key
 * set twice in one file (an object over a number, which then ignores fallbacks), lists, nulls,
 * booleans, and in some cases substitutions, {@code ${?ENV}}, {@code +=} and concatenations (the
 * fold then declines and Typesafe's runs; the outcome must still be the same). Equal means: the
 * same rendering with comments and origins, the same origin description and line for every value
 * (objects included), the same resolved tree or the same resolve error, and the same result when
 * merged over a further fallback (which shows any difference in which objects ignore fallbacks).
 */
class LayerFoldDifferentialTest {
  private static final ConfigRenderOptions WITH_ORIGINS =
      ConfigRenderOptions.defaults().setComments(true).setOriginComments(true).setJson(false);
  private static final ConfigResolveOptions NO_ENV =
      ConfigResolveOptions.defaults().setUseSystemEnvironment(false);
  private static final Config FURTHER = ConfigFactory.parseString(
      "a { a = 7, z = 1 }\nb = [9]\nc { b { c = 8 } }\nz = 1",
      ConfigParseOptions.defaults().setOriginDescription("further.conf"));

  /** Generated layers: the defaults' text, then groups of file texts, lowest first. */
  record Layers(String start, List<List<String>> groups) {}

  @Property(tries = 1000)
  void sameTreeAsTypesafesFold(@ForAll("layers") Layers layers) {
    check(layers);
  }

  @Property(tries = 20_000)
  @Tag("nightly")
  void sameTreeAsTypesafesFoldNightly(@ForAll("layers") Layers layers) {
    check(layers);
  }

  /** Found while writing the fold: a key only the base adds keeps the upper objects merged. */
  @Example
  void upperLayersCoverEveryKeyOfTheBase() {
    check(new Layers("", List.of(List.of("a { x = 1 }"), List.of("a { y = 2 }"),
        List.of("a { x = 3, y = 4 }"))));
  }

  @Example
  void anObjectOverANumberInOneFileHidesTheLayersBelow() {
    check(new Layers("a { q = 0 }", List.of(List.of("a { b = 1 }"), List.of("a = 1\na.c = 2"),
        List.of("a.d = 3"))));
  }

  private static void check(Layers layers) {
    Config start = parse(layers.start(), "reference.conf");
    List<List<Config>> groups = new ArrayList<>();
    int n = 0;
    for (List<String> g : layers.groups()) {
      List<Config> parsed = new ArrayList<>();
      for (String text : g) {
        parsed.add(parse(text, "layer" + n++ + ".conf"));
      }
      groups.add(parsed);
    }
    Config expected = IncrementalMerge.typesafeFold(start, groups);
    Config actual = IncrementalMerge.full(start, groups);
    boolean resolvedInputs = start.isResolved()
        && groups.stream().allMatch(g -> g.stream().allMatch(Config::isResolved));
    Statistics.collect(resolvedInputs ? "resolved inputs: one-walk merge" : "Typesafe's fold");

    assertThat(actual.root().render(WITH_ORIGINS)).isEqualTo(expected.root().render(WITH_ORIGINS));
    assertThat(actual.root()).isEqualTo(expected.root());
    if (expected.isResolved()) { // an unresolved object has no values to ask yet
      EditReparsePropertiesTest.sameOrigins(actual.root(), expected.root(), "");
    }
    Config furtherExpected = expected.withFallback(FURTHER);
    Config furtherActual = actual.withFallback(FURTHER);
    assertThat(furtherActual.root().render(WITH_ORIGINS))
        .isEqualTo(furtherExpected.root().render(WITH_ORIGINS));
    assertThat(resolved(actual)).isEqualTo(resolved(expected));
  }

  /** The resolved rendering with origins, or the resolve error's message. */
  private static String resolved(Config c) {
    try {
      Config r = c.resolve(NO_ENV);
      return r.root().render(WITH_ORIGINS);
    } catch (ConfigException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  private static Config parse(String text, String name) {
    return ConfigFactory.parseString(text,
        ConfigParseOptions.defaults().setOriginDescription(name));
  }

  @Provide
  Arbitrary<Layers> layers() {
    Arbitrary<Boolean> substitutions = Arbitraries.of(true, false, false, false, false);
    return substitutions.flatMap(subst -> {
      Arbitrary<String> file = statement(subst).list().ofMinSize(0).ofMaxSize(7)
          .map(l -> String.join("\n", l) + "\n");
      Arbitrary<List<List<String>>> groups = file.list().ofMinSize(1).ofMaxSize(3)
          .list().ofMinSize(1).ofMaxSize(6);
      return Combinators.combine(file, groups).as(Layers::new);
    });
  }

  private static Arbitrary<String> statement(boolean substitutions) {
    Arbitrary<String> path = Arbitraries.of("a", "b", "c").list().ofMinSize(1).ofMaxSize(3)
        .map(l -> String.join(".", l));
    Arbitrary<String> plain = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 9).map(String::valueOf),
        Arbitraries.of("\"s\"", "null", "true", "[1, 2]", "[]", "{}", "{ a = 1, b { c = 2 } }",
            "# a comment\n{ c = x }"));
    Arbitrary<String> assign = Combinators.combine(path, plain).as((p, v) -> p + " = " + v);
    if (!substitutions) {
      return assign;
    }
    Arbitrary<String> subst = Combinators.combine(path, path, Arbitraries.of(
        "= ${%s}", "= ${?%s}", "+= 5", "= ${?ENV_X}", "= ${?%s} \"t\"", "= [0] ${?%s}"))
        .as((p, q, form) -> p + " " + form.replace("%s", q));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, assign), net.jqwik.api.Tuple.of(1, subst));
  }
}
