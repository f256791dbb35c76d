package io.qcfg.internal.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class LineDiffTest {

  @Test
  void equalTextsHaveNoDiff() {
    assertThat(LineDiff.unified("a.conf", "x = 1\n", "x = 1\n")).isEmpty();
  }

  @Test
  void rendersAUnifiedDiffWithThreeLinesOfContext() {
    String a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
    String b = "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\nthirteen\n";
    assertThat(LineDiff.unified("env/p.conf", a, b))
        .isEqualTo(
            """
            --- a/env/p.conf
            +++ b/env/p.conf
            @@ -1,6 +1,6 @@
             1
             2
            -3
            +three
             4
             5
             6
            @@ -10,3 +10,4 @@
             10
             11
             12
            +thirteen
            """);
  }

  @Test
  void nearbyChangesShareAHunk() {
    String a = "a\nb\nc\nd\ne\nf\n";
    String b = "A\nb\nc\nd\ne\nF\n";
    assertThat(LineDiff.unified("f", a, b))
        .isEqualTo("--- a/f\n+++ b/f\n@@ -1,6 +1,6 @@\n-a\n+A\n b\n c\n d\n e\n-f\n+F\n");
  }

  @Test
  void credentialValuesAndEncryptedValuesAreHidden() {
    assertThat(LineDiff.redact("  db.password = \"hunter2\""))
        .isEqualTo("  db.password = <redacted>");
    assertThat(LineDiff.redact("apiKey: abc")).isEqualTo("apiKey: <redacted>");
    assertThat(LineDiff.redact("\"auth-token\" = x")).isEqualTo("\"auth-token\" = <redacted>");
    assertThat(LineDiff.redact("url = \"ENC[abc=]\"")).isEqualTo("url = <redacted>");
    assertThat(LineDiff.redact("hosts = [ENC[x]]")).isEqualTo("hosts = <redacted>");
    assertThat(LineDiff.redact("# the token handling")).isEqualTo("# the token handling");
    assertThat(LineDiff.redact("url = \"jdbc:x\"")).isEqualTo("url = \"jdbc:x\"");
    assertThat(LineDiff.unified("f", "password = a\n", "password = b\n"))
        .doesNotContain("= a")
        .doesNotContain("= b");
  }

  /** Applying the edit script to the old lines gives the new lines, and keeps are common lines. */
  @Property(tries = 300)
  void theEditScriptTurnsOldIntoNew(
      @ForAll @Size(max = 30) List<@StringLength(max = 2) String> a,
      @ForAll @Size(max = 30) List<@StringLength(max = 2) String> b) {
    List<String> rebuilt = new ArrayList<>();
    int keptOld = 0;
    for (LineDiff.Op op : LineDiff.diff(a, b)) {
      if (op.kind() != LineDiff.Op.DELETE) {
        rebuilt.add(op.line());
      }
      if (op.kind() != LineDiff.Op.INSERT) {
        assertThat(op.line()).isEqualTo(a.get(op.a()));
        keptOld++;
      }
      if (op.kind() != LineDiff.Op.DELETE) {
        assertThat(op.line()).isEqualTo(b.get(op.b()));
      }
    }
    assertThat(rebuilt).isEqualTo(b);
    assertThat(keptOld).isEqualTo(a.size());
  }
}
