package io.qcfg.internal.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qcfg.QcfgException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The etcd layer's reading side: reads the layer files of an environment from etcd and watches
 * the prefix for changes. One per JVM; see the package documentation for the key layout.
 *
 * <pre>{@code
 * EtcdSource etcd = EtcdSource.connect(endpoints, "/qcfg/shop/", credentials, Duration.ofSeconds(5));
 * EtcdLayer layer = etcd.read("production");        // parse layer.files() in order
 * EtcdWatch w = etcd.watch(layer.revision(), event -> engine.requestReload());
 * }</pre>
 *
 * <p>Errors are {@link QcfgException.Invalid} with one {@link io.qcfg.Problem} located at {@code
 * etcd <endpoints>} (or {@code etcd:<key>@<revision>} for a bad value), so a layer stack can
 * collect them like any other layer's problems: QCFG-4610 no endpoint answered, 4611 wrong user or
 * password, 4612 authentication required, 4613 permission denied, 4614 other refusal, 4615 not an
 * etcd v3 gateway, 4616 a value that is not UTF-8. None of them ever contains the password.
 *
 * <p>Concurrency: {@link #read} and {@link #status} may be called from any thread at any time,
 * also while watches run; see {@link EtcdClient} for the shared state.
 */
public final class EtcdSource implements AutoCloseable {
  /** How often an idle watch checks that its etcd member still serves. */
  static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(10);

  private final EtcdClient client;
  private final String prefix;
  private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
  private volatile String instance;

  private EtcdSource(EtcdClient client, String prefix) {
    this.client = client;
    this.prefix = prefix;
  }

  /**
   * Connects: authenticates when credentials are given, then reads the prefix once (count only) to
   * prove that some endpoint answers and the user may read there.
   *
   * @param endpoints from {@link EtcdOptions#endpoints}; tried in order, then the one that last
   *     answered first
   * @param prefix from {@link EtcdOptions#prefix}, e.g. {@code /qcfg/shop/}
   * @param credentials user and password, when the cluster has authentication enabled
   * @param timeout for connecting and for each request (not for a watch's lifetime)
   * @throws QcfgException.Invalid when no endpoint answers (QCFG-4610, naming each endpoint and
   *     why), authentication fails (4611, 4612) or reading is not allowed (4613)
   * @throws QcfgException.BadOption for a bad prefix (4601) or no endpoints (4600)
   */
  public static EtcdSource connect(
      List<URI> endpoints,
      String prefix,
      Optional<EtcdCredentials> credentials,
      Duration timeout) {
    return connect(endpoints, prefix, credentials, timeout, Optional.empty());
  }

  /**
   * {@link #connect(List, String, Optional, Duration)} trusting the CA certificates in {@code
   * caFile} (PEM) for {@code https://} endpoints instead of the JVM's trust store, which qcfg
   * leaves alone because it is the application's. Without it, a private CA needs {@code
   * -Djavax.net.ssl.trustStore=<file>} for the whole JVM.
   *
   * @throws QcfgException.Invalid also QCFG-4618 when {@code caFile} holds no certificate
   */
  public static EtcdSource connect(
      List<URI> endpoints,
      String prefix,
      Optional<EtcdCredentials> credentials,
      Duration timeout,
      Optional<Path> caFile) {
    String p = EtcdOptions.prefix(prefix);
    EtcdClient client = EtcdClient.open(endpoints, credentials, timeout, caFile);
    try {
      client.call("/v3/kv/range", countRequest(p), "read keys under " + p);
      return new EtcdSource(client, p);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** The normalised prefix, ending in {@code /}. */
  public String prefix() {
    return prefix;
  }

  /**
   * The keys of {@code env}'s layer files, lowest precedence first: {@code <prefix>application.conf}
   * and {@code <prefix>environments/<env>.conf}.
   */
  public List<String> layerKeys(String env) {
    EtcdOptions.environment(env);
    return List.of(prefix + "application.conf", prefix + "environments/" + env + ".conf");
  }

  /**
   * Takes part in canary rollouts as {@code id}: {@link #read} then returns the staged texts of
   * a rollout whose percentage selects this instance ({@link Canary#selected}).
   */
  public void selectAs(String id) {
    instance = id;
  }

  /**
   * The keys whose change is a reload for {@code env}: its layer keys, the rollout record and the
   * staged texts.
   */
  public List<String> watchedKeys(String env) {
    List<String> keys = new ArrayList<>(layerKeys(env));
    keys.add(prefix + Rollouts.ROLLOUT);
    keys.add(prefix + Rollouts.CANARY + "application.conf");
    keys.add(prefix + Rollouts.CANARY + "environments/" + env + ".conf");
    return keys;
  }

  /**
   * Reads {@code env}'s layer files in one transaction, so both come from the same revision.
   *
   * @throws QcfgException.Invalid as described in the class comment; QCFG-4616 when a value is not
   *     UTF-8 text
   * @throws QcfgException.BadOption QCFG-4602 for an environment name that cannot be a key part
   */
  public EtcdLayer read(String env) {
    List<String> keys = watchedKeys(env);
    ArrayNode ops = EtcdClient.JSON.createArrayNode();
    for (String k : keys) {
      ObjectNode range = EtcdClient.JSON.createObjectNode().put("key", EtcdKeys.base64(k));
      ops.addObject().set("request_range", range);
    }
    ObjectNode txn = EtcdClient.JSON.createObjectNode();
    txn.set("success", ops);
    JsonNode reply = client.call("/v3/kv/txn", txn, "read the etcd layer under " + prefix);
    long revision = reply.path("header").path("revision").asLong(-1);
    JsonNode responses = reply.path("responses");
    if (revision < 0 || !responses.isArray() || responses.size() != keys.size()) {
      throw EtcdClient.invalid("QCFG-4615", client.location(), "cannot read the etcd layer under "
          + prefix + ": the answer to the transaction has no revision or not one result per key");
    }
    // A canary of a rollout reads the staged texts instead of the stable ones, both or neither.
    String id = instance;
    boolean canary = false;
    for (JsonNode kv : responses.path(2).path("response_range").path("kvs")) {
      RolloutRecord r = RolloutRecord.parse(Rollouts.text(kv), kv.path("create_revision").asLong(),
          kv.path("mod_revision").asLong());
      canary = r != null && id != null && Canary.selected(id, r.percent());
    }
    List<EtcdFile> files = new ArrayList<>();
    int from = canary ? 3 : 0;
    // The configuration's revision is the newest key it was read from, not the read's revision:
    // status reports under the same prefix (and other prefixes) move etcd's revision all the time.
    long newest = 0;
    for (int i = from; i < from + 2; i++) {
      for (JsonNode kv : responses.path(i).path("response_range").path("kvs")) {
        EtcdFile f = file(kv);
        files.add(f);
        newest = Math.max(newest, f.modRevision());
      }
    }
    if (canary) {
      newest = Math.max(newest, responses.path(2).path("response_range").path("kvs").path(0)
          .path("mod_revision").asLong(0));
    }
    return new EtcdLayer(newest > 0 ? newest : revision, files);
  }

  /**
   * Watches every key under the prefix for changes after {@code seenRevision} (usually {@link
   * EtcdLayer#revision()} of the last read). Returns at once; events arrive on a new daemon thread
   * {@code qcfg-etcd-watch} with the guarantees listed in {@link EtcdWatch}. Keys of other
   * environments under the prefix are reported too: see {@link EtcdEvent.Changed#touchesAny}.
   * {@link EtcdEvent.ResyncRequired} means: call {@link #read} again.
   *
   * @param onChange must be quick (hand work to another thread); never called concurrently
   */
  public EtcdWatch watch(long seenRevision, Consumer<EtcdEvent> onChange) {
    return watch(seenRevision, onChange, DEFAULT_PROBE_INTERVAL);
  }

  /** {@link #watch(long, Consumer)} with the idle check interval given, for tests. */
  EtcdWatch watch(long seenRevision, Consumer<EtcdEvent> onChange, Duration probeInterval) {
    Objects.requireNonNull(onChange, "onChange");
    EtcdWatch w =
        new EtcdWatch(client, prefix, seenRevision, onChange, probeInterval, watches::remove);
    watches.add(w);
    w.start();
    return w;
  }

  /** Health for JMX and {@code status}: connected, last endpoint, highest revision, last error. */
  public EtcdStatus status() {
    return client.status();
  }

  /** Stops every watch of this source and releases the HTTP client's threads. */
  @Override
  public void close() {
    for (EtcdWatch w : watches) {
      w.close();
    }
    watches.clear();
    client.close();
  }

  private EtcdFile file(JsonNode kv) {
    String key = new String(EtcdKeys.unbase64(kv.path("key").asText("")), StandardCharsets.UTF_8);
    long modRevision = kv.path("mod_revision").asLong(0);
    String text = EtcdKeys.utf8OrNull(EtcdKeys.unbase64(kv.path("value").asText("")));
    if (text == null) {
      throw EtcdClient.invalid("QCFG-4616", "etcd:" + key + "@" + modRevision,
          "expected UTF-8 HOCON text, found bytes that are not UTF-8");
    }
    return new EtcdFile(key, text, modRevision);
  }

  static ObjectNode countRequest(String prefix) {
    byte[] p = EtcdKeys.bytes(prefix);
    return EtcdClient.JSON
        .createObjectNode()
        .put("key", EtcdKeys.base64(p))
        .put("range_end", EtcdKeys.base64(EtcdKeys.prefixEnd(p)))
        .put("count_only", true);
  }
}
