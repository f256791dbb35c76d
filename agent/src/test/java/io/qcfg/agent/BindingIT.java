package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One application JVM under {@code -javaagent} ({@code app.Main}, 64 MiB heap), shared by the
 * checks below in order: binding at start, changes, listeners, defaults, rejected candidates,
 * record swaps, weak tracking and constant warnings. Changes go through the config file and
 * {@code Qcfg.reload()} or through {@code Qcfg.setOverride}, commanded over stdin.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BindingIT {
  static final String BASE =
      """
      s { int = 100, boxed = 200, long = 300, double = 1.25, bool = true, string = configured,
          duration = 30s, mode = FAST, list = [1, 2, 3], map { a = x, b = y },
          endpoint { host = h0, port = 0 }, pool { size = 4, name = main }, computed = hot }
      i { int = 1000, boxed = 2000, string = inst, duration = 2m, mode = SAFE, list = [p, q],
          map { one = 1 }, endpoint { host = ih, port = 9 }, pool { size = 8, name = ip },
          constant = 99 }
      sub.extra = 77
      limits.max = 500000
      """;

  @TempDir static Path tmp;
  Path conf;
  AppJvm app;

  @BeforeAll
  void start() throws IOException {
    Files.createDirectories(tmp.resolve("config"));
    conf = tmp.resolve("config/application.conf");
    Files.writeString(conf, BASE);
    app =
        AppJvm.start(
            "dir=" + tmp.resolve("config") + ",state=" + tmp.resolve("state")
                + ",watch=false,jmx=false",
            List.of("-Xmx64m"),
            "app.Main");
    app.awaitOut("READY");
  }

  @AfterAll
  void stop() {
    app.close();
  }

  @Test
  @Order(1)
  void staticAndInstanceFieldsOfEveryTypeAreBoundAtStart() throws IOException {
    Map<String, String> v = app.values("print");
    assertThat(v)
        .containsEntry("anInt", "100")
        .containsEntry("boxed", "200")
        .containsEntry("aLong", "300")
        .containsEntry("aDouble", "1.25")
        .containsEntry("aBool", "true")
        .containsEntry("string", "configured")
        .containsEntry("duration", "PT30S")
        .containsEntry("mode", "FAST")
        .containsEntry("list", "[1, 2, 3]")
        .containsEntry("map", "{a=x, b=y}")
        .containsEntry("endpoint", "Endpoint[host=h0, port=0]")
        .containsEntry("pool", "Pool[main,4]")
        .containsEntry("computed", "hot")
        .containsEntry("version", "1");
    for (String p : List.of("svc.", "fresh.")) {
      assertThat(v)
          .containsEntry(p + "anInt", "1000")
          .containsEntry(p + "boxed", "2000")
          .containsEntry(p + "string", "inst")
          .containsEntry(p + "duration", "PT2M")
          .containsEntry(p + "mode", "SAFE")
          .containsEntry(p + "list", "[p, q]")
          .containsEntry(p + "map", "{one=1}")
          .containsEntry(p + "endpoint", "Endpoint[host=ih, port=9]")
          .containsEntry(p + "pool", "Pool[ip,8]");
    }
    // A rule class, initialised on qcfg's own thread during the first build, is bound too.
    assertThat(v).containsEntry("rule.max", "500000");
    // A subclass with its own bound field, and one without: both objects are bound.
    assertThat(v)
        .containsEntry("special.extra", "77")
        .containsEntry("special.anInt", "1000")
        .containsEntry("plain.anInt", "1000");
  }

  @Test
  @Order(2)
  void boundFieldsBecomeVolatileAndNonFinalButConstantsStayAsTheyAre() throws IOException {
    assertThat(app.command("modifiers"))
        .containsExactly(
            "Settings.anInt volatile=true final=false",
            "Settings.endpoint volatile=true final=false",
            "Settings.COMPUTED volatile=true final=false",
            "Service.anInt volatile=true final=false",
            "Service.constant volatile=false final=true",
            "Constants.PORT volatile=false final=true");
  }

  @Test
  @Order(3)
  void everyObjectIsTrackedOnce() throws IOException {
    // Main.SERVICE, a SpecialService and a PlainSubclass; the "fresh" ones printed are garbage.
    // A subclass bound twice (once per annotated constructor) would count twice.
    assertThat(app.values("live")).containsEntry("live", "3");
    // Qcfg.bind on an object the agent bound: still tracked once.
    assertThat(app.command("rebind")).containsExactly("live=3 anInt=1000");
  }

  @Test
  @Order(4)
  void anAppliedChangeRewritesEveryBindingThenCallsListeners() throws IOException {
    Files.writeString(
        conf,
        BASE.replace("int = 100,", "int = 101,")
            .replace("string = configured", "string = edited")
            .replace("list = [1, 2, 3]", "list = [4]")
            .replace("pool { size = 4, name = main }", "pool { size = 5, name = main }")
            .replace("int = 1000,", "int = 1001,")
            .replace("string = inst", "string = inst2")
            .replace("mode = SAFE", "mode = FAST")
            .replace("sub.extra = 77", "sub.extra = 78"));
    assertThat(app.command("reload")).containsExactly("OK 2");
    Map<String, String> v = app.values("print");
    assertThat(v)
        .containsEntry("anInt", "101")
        .containsEntry("string", "edited")
        .containsEntry("list", "[4]")
        .containsEntry("pool", "Pool[main,5]")
        .containsEntry("svc.anInt", "1001")
        .containsEntry("svc.string", "inst2")
        .containsEntry("svc.mode", "FAST")
        .containsEntry("special.extra", "78")
        .containsEntry("special.anInt", "1001")
        .containsEntry("plain.anInt", "1001")
        .containsEntry("constants.hot", "edited")
        .containsEntry("version", "2");
    // Listeners ran once, after the fields were written (they saw the new value).
    assertThat(v)
        .containsEntry("staticCalls", "1")
        .containsEntry("seenInListener", "edited")
        .containsEntry("svc.calls", "1")
        .containsEntry("svc.seenInListener", "inst2");
    // The listener that throws is reported; the others above still ran.
    assertThat(app.awaitErr("QCFG-5007"))
        .contains("app.Settings.broken")
        .contains("listener failure on purpose");
  }

  @Test
  @Order(5)
  void aMissingPathKeepsTheDeclaredDefaultAlsoWhenAnEditRemovesIt() throws IOException {
    Map<String, String> before = app.values("print");
    assertThat(before).containsEntry("missing", "default-kept").containsEntry("svc.missing", "42");

    Files.writeString(conf, BASE + "s.missing = present\ni.missing = 5\n");
    assertThat(app.command("reload")).containsExactly("OK 3");
    assertThat(app.values("print"))
        .containsEntry("missing", "present")
        .containsEntry("svc.missing", "5")
        .containsEntry("fresh.missing", "5");

    // Remove them again, and also paths that were set from the start.
    Files.writeString(
        conf, BASE.replace("string = configured,", "").replace("string = inst,", ""));
    assertThat(app.command("reload")).containsExactly("OK 4");
    assertThat(app.values("print"))
        .containsEntry("missing", "default-kept")
        .containsEntry("svc.missing", "42")
        .containsEntry("string", "declared")
        .containsEntry("svc.string", "declared")
        .containsEntry("fresh.string", "declared")
        .containsEntry("anInt", "100");
  }

  @Test
  @Order(6)
  void aValueThatCannotConvertRejectsTheWholeCandidate() throws IOException {
    Files.writeString(conf, BASE);
    assertThat(app.command("reload")).containsExactly("OK 5");
    Map<String, String> before = app.values("print");

    Files.writeString(conf, BASE.replace("int = 100,", "int = \"abc\",").replace("bool = true", "bool = false"));
    List<String> answer = app.command("reload");
    assertThat(answer).hasSize(1);
    assertThat(answer.get(0))
        .startsWith("ERR")
        .contains("application.conf:1")
        .contains("s.int")
        .contains("app.Settings.anInt")
        .contains("'abc'")
        .contains("QCFG-5004");
    assertThat(app.awaitErr("QCFG-1501"))
        .contains("rejected a new configuration")
        .contains("keeping version 5");
    // Nothing was applied: not the bad value, not the good one next to it.
    assertThat(app.values("print")).isEqualTo(before);
    Files.writeString(conf, BASE); // every later change re-reads the file
  }

  @Test
  @Order(7)
  void aRecordIsSwappedAsOneReference() throws IOException {
    List<String> answer = app.command("torn 200");
    assertThat(answer).hasSize(1);
    assertThat(answer.get(0))
        .startsWith("torn=0 ")
        .endsWith("last=Endpoint[host=h200, port=200]");
  }

  @Test
  @Order(8)
  void aMillionShortLivedObjectsAreCollected() throws IOException {
    List<String> answer = app.command("million");
    // Every object was bound: each read 1000 from i.int instead of its declared -1.
    assertThat(answer.get(0)).isEqualTo("created sum=1000000000");
    int live = Integer.parseInt(answer.get(1).substring("live=".length()));
    assertThat(live).isLessThan(100);
  }

  @Test
  @Order(9)
  void constantsAreReportedOnceAndStayAsCompiled() throws IOException {
    assertThat(app.values("print")).containsEntry("constants.PORT", "80");
    app.awaitErr("QCFG-5001");
    app.awaitErr("QCFG-5014");
    assertThat(app.stderr().stream().filter(l -> l.contains("QCFG-5001")))
        .singleElement()
        .asString()
        .contains("app.Constants.PORT is static final");
    assertThat(app.stderr().stream().filter(l -> l.contains("QCFG-5014")))
        .singleElement()
        .asString()
        .contains("app.Service.constant is a compile-time constant");
  }
}
