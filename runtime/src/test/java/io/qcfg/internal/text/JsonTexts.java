package io.qcfg.internal.text;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Texts for properties of written JSON: plain ones (written without escaping) and ones with
 * every kind of character a JSON writer treats apart: quote, backslash, control characters, DEL
 * and C1 controls, non-ASCII, line separators, surrogate pairs.
 */
public final class JsonTexts {
  private JsonTexts() {}

  public static Arbitrary<String> texts() {
    return Arbitraries.oneOf(Arbitraries.strings().withChars("qcfg-:. /0aZ~").ofMaxLength(10),
        Arbitraries.strings().withChars("a \"\\\u0000\u001f\u007f\u0085\u00a0\u00fc\u2028"
            + "\ud83d\ude00\uffff").ofMaxLength(6));
  }
}
