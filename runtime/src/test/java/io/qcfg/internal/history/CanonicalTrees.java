package io.qcfg.internal.history;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValueFactory;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Trees as candidates hold them, for properties of what history writes: keys and strings with
 * quotes, escapes, control, non-ASCII and surrogate characters, integers, longs, doubles, nested
 * objects and lists (rendered with {@code Canonical.render}, Typesafe's concise JSON).
 */
final class CanonicalTrees {
  private CanonicalTrees() {}

  static Arbitrary<ConfigObject> trees() {
    return objects(4).map(m -> ConfigValueFactory.fromMap(m, "test"));
  }

  private static Arbitrary<Map<String, Object>> objects(int levels) {
    Arbitrary<Object> value = levels == 0 ? leaves() : Arbitraries.frequencyOf(
        Tuple.of(5, leaves()),
        Tuple.of(2, Arbitraries.lazy(() -> objects(levels - 1)).map(m -> m)),
        Tuple.of(1, leaves().list().ofMaxSize(3).map(l -> (Object) l)));
    return Arbitraries.maps(keys(), value).ofMaxSize(4)
        .map(m -> (Map<String, Object>) new LinkedHashMap<>(m));
  }

  private static Arbitrary<String> keys() {
    return Arbitraries.oneOf(Arbitraries.strings().withChars("ab-_0").ofMinLength(1)
        .ofMaxLength(8), Arbitraries.strings().withChars("ab.\"\\\u0001\n\u00e9\u2028")
        .ofMinLength(1).ofMaxLength(8));
  }

  private static Arbitrary<Object> leaves() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("xy:/ ,{").ofMaxLength(12).map(s -> (Object) s),
        Arbitraries.strings().withChars("xy\"\\/\u0000\t\u007f\u00ff\u4e2d\ud83d\ude00")
            .ofMaxLength(12).map(s -> (Object) s),
        Arbitraries.longs().map(n -> (Object) n),
        Arbitraries.integers().map(n -> (Object) n),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.bigIntegers().between(new BigDecimal("-1e30").toBigInteger(),
            new BigDecimal("1e30").toBigInteger()).map(b -> (Object) b.doubleValue()),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(List.of()).map(l -> (Object) l));
  }
}
