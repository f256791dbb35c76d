package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sealed secrets of a history entry restored from the secret layer in one merge (issue 16, the
 * fast restart of a large tree), differentially against one {@code withValue} per secret.
 */
@Timeout(30)
class HistorySecretsTest {
  static final String S = "\"" + ConfigSnapshot.SEALED + "\"";

  static Config history(String json) {
    return ConfigFactory.parseString(json,
        ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON).setOriginDescription("history"));
  }

  static Config secrets(String hocon) {
    return ConfigFactory.parseString(hocon,
        ConfigParseOptions.defaults().setOriginDescription("secrets/x.conf")).resolve();
  }

  void sameAsOneByOne(Config tree, Config secrets) {
    Set<String> merged = new TreeSet<>();
    Set<String> oneByOne = new TreeSet<>();
    Config a = HistoryRestore.withSecrets(tree, HistoryRestore.sealedPaths(tree), secrets, merged,
        1);
    Config b = HistoryRestore.withSecretsOneByOne(tree, HistoryRestore.sealedPaths(tree),
        secrets, oneByOne, 1);
    assertThat(a.root()).isEqualTo(b.root());
    assertThat(merged).isEqualTo(oneByOne);
    for (String p : merged) { // each restored leaf keeps the secret file as its origin
      assertThat(a.getValue(p).origin().description()).contains("secrets/x.conf");
    }
    assertThat(HistoryRestore.sealedPaths(a)).isEmpty();
  }

  @Test
  void everySealedLeafHasItsSecret() {
    Config tree = history("{\"db\": {\"password\": " + S + ", \"host\": \"h\", \"pool\": {\"key\": "
        + S + ", \"size\": 3}}, \"api\": {\"token\": " + S + ", \"list\": [1, 2]}, \"top\": " + S
        + "}");
    Config secrets = secrets("db.password = pw\ndb.pool.key = [a, b]\napi.token = 42\ntop = t");
    sameAsOneByOne(tree, secrets);
    Set<String> restored = new TreeSet<>();
    Config a = HistoryRestore.withSecrets(tree, HistoryRestore.sealedPaths(tree), secrets,
        restored, 1);
    assertThat(a.getString("db.password")).isEqualTo("pw");
    assertThat(a.getInt("api.token")).isEqualTo(42);
    assertThat(a.getStringList("db.pool.key")).containsExactly("a", "b");
    assertThat(a.getString("db.host")).isEqualTo("h");
    assertThat(a.getValue("db.host").origin().description()).contains("history");
  }

  @Test
  void aSealedLeafWithoutItsSecretIsLeftOut() {
    Config tree = history("{\"db\": {\"password\": " + S + ", \"user\": " + S + ", \"x\": 1}}");
    sameAsOneByOne(tree, secrets("db.password = pw"));
    Config a = HistoryRestore.withSecrets(tree, HistoryRestore.sealedPaths(tree),
        secrets("db.password = pw"), new TreeSet<>(), 1);
    assertThat(a.hasPath("db.user")).isFalse();
  }

  @Test
  void otherShapesOfSecretLayerGiveTheSameTree() {
    Config tree = history("{\"db\": {\"password\": " + S + ", \"x\": 1}, \"q\": {\"a.b\": " + S
        + "}}");
    sameAsOneByOne(tree, secrets("db.password = pw\nextra = 1\nq.\"a.b\" = z")); // not sealed
    sameAsOneByOne(tree, secrets("db.password { nested = 1 }")); // an object for a leaf
    sameAsOneByOne(tree, secrets("db.password = null")); // a null
    sameAsOneByOne(tree, secrets("")); // none at all
    sameAsOneByOne(tree, secrets("q.\"a.b\" = z")); // a quoted key
  }

  @Test
  void aListWithASealedSecretInsideIsRestoredWholeOrLeftOut() {
    Config tree = history("{\"servers\": [{\"host\": \"a\", \"password\": " + S
        + "}], \"ports\": [1, 2], \"keys\": [[" + S + "]]}");
    assertThat(HistoryRestore.sealedPaths(tree)).containsExactlyInAnyOrder("servers", "keys");
    Config secrets = secrets("servers = [{host = a, password = pw}]");
    sameAsOneByOne(tree, secrets);
    Config a = HistoryRestore.withSecrets(tree, HistoryRestore.sealedPaths(tree), secrets,
        new TreeSet<>(), 1);
    assertThat(a.getConfigList("servers").get(0).getString("password")).isEqualTo("pw");
    assertThat(a.hasPath("keys")).isFalse(); // no secret for it: never the placeholder as a value
    assertThat(a.getIntList("ports")).containsExactly(1, 2);
  }
}
