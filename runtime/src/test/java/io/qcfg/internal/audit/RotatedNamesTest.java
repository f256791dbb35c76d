package io.qcfg.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Rotated audit files' names are read without a regular expression (issue 16: a restart lists
 * the state directory before its publish); {@link AuditFormat#rotatedSeq} gives what the pattern
 * {@code audit\.(\d{19})\.log} it replaced gave.
 */
class RotatedNamesTest {
  private static final Pattern ROTATED = Pattern.compile("audit\\.(\\d{19})\\.log");

  static String byPattern(String name) {
    Matcher m = ROTATED.matcher(name);
    return m.matches() ? m.group(1) : null;
  }

  @Property(tries = 3000)
  void namesAreReadAsThePatternReadThem(@ForAll("names") String name) {
    assertThat(AuditFormat.rotatedSeq(name)).as(name).isEqualTo(byPattern(name));
  }

  @Example
  void edges() {
    for (String name : new String[] {"audit.0000000000000000001.log",
        "audit.9999999999999999999.log", "audit.000000000000000001.log",
        "audit.00000000000000000001.log", "audit.0000000000000000001.logx",
        "audit.0000000000000000001.LOG", "Audit.0000000000000000001.log",
        "audit.000000000000000000\u0663.log", "audit.+000000000000000001.log", "audit.log",
        "audit.head", "auditX0000000000000000001.log", "audit.0000000000000000001Xlog", ""}) {
      assertThat(AuditFormat.rotatedSeq(name)).as(name).isEqualTo(byPattern(name));
    }
  }

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789\u0663+-.")
        .ofMinLength(17).ofMaxLength(20);
    Arbitrary<String> prefix = Arbitraries.of("audit.", "audit", "Audit.", "audit.x", "");
    Arbitrary<String> suffix = Arbitraries.of(".log", ".logx", ".LOG", "log", ".log.tmp", "");
    return Arbitraries.oneOf(
        net.jqwik.api.Combinators.combine(prefix, digits, suffix).as((p, d, s) -> p + d + s),
        Arbitraries.strings().ofMaxLength(32));
  }
}
