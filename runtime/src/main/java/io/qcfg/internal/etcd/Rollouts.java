package io.qcfg.internal.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qcfg.QcfgException;
import io.qcfg.internal.log.Log;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Canary rollouts through etcd: staging, promoting and aborting ({@code qcfg publish --canary},
 * {@code qcfg rollout}), the JVMs' status entries on leases, and the automatic steps.
 *
 * <p>Keys: {@code <prefix>rollout} ({@link RolloutRecord}), {@code <prefix>canary/<name>} (the
 * staged layer texts, named as the stable ones), {@code <prefix>status/<instance>} ({@link
 * StatusEntry}). Every step is one transaction guarded by the rollout record's mod revision as
 * the step read it, so two operators (or an operator and an automatic step) cannot interleave:
 * the loser writes nothing and gets QCFG-4654.
 */
public final class Rollouts implements AutoCloseable {
  static final String ROLLOUT = "rollout";
  static final String CANARY = "canary/";
  static final String STATUS = "status/";

  private final EtcdClient client;
  private final String prefix;

  private Rollouts(EtcdClient client, String prefix) {
    this.client = client;
    this.prefix = prefix;
  }

  /** Connects to etcd; nothing is read yet. */
  public static Rollouts open(List<URI> endpoints, String prefix,
      Optional<EtcdCredentials> credentials, Duration timeout, Optional<Path> caFile) {
    String p = EtcdOptions.prefix(prefix);
    return new Rollouts(EtcdClient.open(endpoints, credentials, timeout, caFile), p);
  }

  public String prefix() {
    return prefix;
  }

  /** The rollout in progress and every JVM's status entry, read at one revision. */
  public record View(Optional<RolloutRecord> rollout, List<StatusEntry> statuses, int ignored) {}

  /** Reads the rollout record alone: what every JVM reads each tick. */
  public Optional<RolloutRecord> rollout() {
    ArrayNode ops = EtcdClient.JSON.createArrayNode();
    range(ops, prefix + ROLLOUT, false);
    return record(txn(ops, null, "read the rollout under " + prefix).path("responses").path(0));
  }

  /** Reads the rollout record (if any) and the status entries. */
  public View view() {
    ArrayNode ops = EtcdClient.JSON.createArrayNode();
    range(ops, prefix + ROLLOUT, false);
    range(ops, prefix + STATUS, true);
    JsonNode r = txn(ops, null, "read the rollout under " + prefix).path("responses");
    Optional<RolloutRecord> rollout = record(r.path(0));
    List<StatusEntry> statuses = new ArrayList<>();
    int ignored = 0;
    for (JsonNode kv : r.path(1).path("response_range").path("kvs")) {
      StatusEntry e = StatusEntry.parse(text(kv));
      if (e == null || !key(kv).equals(prefix + STATUS + e.instance())) {
        ignored++; // stale or foreign: not ours to judge or delete
      } else {
        statuses.add(e);
      }
    }
    if (ignored > 0) {
      Log.warnOnce("rollout-foreign-status", prefix + STATUS + ": ignored " + ignored
          + " entries that are not qcfg status reports [QCFG-4658]");
    }
    return new View(rollout, statuses, ignored);
  }

  /**
   * Stages {@code nameToText} as a canary for {@code percent} of the fleet.
   *
   * @return the staged revision
   * @throws QcfgException.Invalid QCFG-4651 when a rollout is already in progress, 4654 when
   *     another step won the race
   */
  public long stage(Map<String, String> nameToText, int percent, Duration autoPromote) {
    Optional<RolloutRecord> current = view().rollout();
    long mod = 0;
    if (current.isPresent()) {
      throw EtcdClient.invalid("QCFG-4651", "etcd " + prefix, "a rollout is already in progress"
          + " (staged at revision " + current.get().stagedRevision() + ", "
          + current.get().percent() + "%): promote or abort it first");
    }
    // No rollout: promote and abort left nothing under canary/ (and etcd refuses a delete
    // overlapping a put in one transaction).
    ArrayNode ops = EtcdClient.JSON.createArrayNode();
    for (var e : new TreeMap<>(nameToText).entrySet()) {
      put(ops, prefix + CANARY + e.getKey(), e.getValue());
    }
    RolloutRecord r = new RolloutRecord(0, 0, percent, System.currentTimeMillis(),
        autoPromote.toMillis(), "canary");
    put(ops, prefix + ROLLOUT, r.toJson());
    return guarded(ops, mod, "stage a canary rollout").path("header").path("revision").asLong();
  }

  /**
   * Promotes the rollout read as {@code expected}: to {@code percent}, or at 100 makes the staged
   * texts the stable ones and removes the rollout, in one transaction.
   *
   * @throws QcfgException.Invalid QCFG-4654 when the rollout changed since it was read
   */
  public void promote(RolloutRecord expected, int percent) {
    ArrayNode ops = EtcdClient.JSON.createArrayNode();
    if (percent < 100) {
      put(ops, prefix + ROLLOUT, expected.withPercent(percent).toJson());
      guarded(ops, expected.modRevision(), "promote the rollout to " + percent + "%");
      return;
    }
    ArrayNode reads = EtcdClient.JSON.createArrayNode();
    range(reads, prefix + CANARY, true);
    range(reads, prefix + "application.conf", false);
    range(reads, prefix + "environments/", true);
    JsonNode r = txn(reads, null, "read the staged texts under " + prefix).path("responses");
    Map<String, String> staged = new TreeMap<>();
    for (JsonNode kv : r.path(0).path("response_range").path("kvs")) {
      staged.put(key(kv).substring((prefix + CANARY).length()), text(kv));
    }
    for (int i = 1; i <= 2; i++) {
      for (JsonNode kv : r.path(i).path("response_range").path("kvs")) {
        String name = key(kv).substring(prefix.length());
        if (!staged.containsKey(name)) {
          ops.addObject().set("request_delete_range", rangeOf(key(kv), false));
        }
      }
    }
    staged.forEach((name, text) -> put(ops, prefix + name, text));
    ops.addObject().set("request_delete_range", rangeOf(prefix + CANARY, true));
    ops.addObject().set("request_delete_range", rangeOf(prefix + ROLLOUT, false));
    guarded(ops, expected.modRevision(), "promote the rollout to 100%");
  }

  /** Aborts the rollout read as {@code expected}: every canary goes back to the stable texts. */
  public void abort(RolloutRecord expected) {
    ArrayNode ops = EtcdClient.JSON.createArrayNode();
    ops.addObject().set("request_delete_range", rangeOf(prefix + CANARY, true));
    ops.addObject().set("request_delete_range", rangeOf(prefix + ROLLOUT, false));
    guarded(ops, expected.modRevision(), "abort the rollout");
  }

  /** Grants a lease of {@code ttl}; returns its id. */
  public long grantLease(Duration ttl) {
    ObjectNode body = EtcdClient.JSON.createObjectNode().put("TTL", ttl.toSeconds());
    return client.call("/v3/lease/grant", body, "grant a lease").path("ID").asLong();
  }

  /** Renews a lease once; false when it has expired (etcd answers a TTL of 0 or none). */
  public boolean keepAlive(long lease) {
    ObjectNode body = EtcdClient.JSON.createObjectNode().put("ID", Long.toString(lease));
    JsonNode r = client.call("/v3/lease/keepalive", body, "renew a lease");
    return r.path("result").path("TTL").asLong(0) > 0;
  }

  /** Revokes a lease: every key on it is deleted at once. */
  public void revoke(long lease) {
    ObjectNode body = EtcdClient.JSON.createObjectNode().put("ID", Long.toString(lease));
    client.call("/v3/lease/revoke", body, "revoke a lease");
  }

  /** Writes {@code entry} under {@code status/<instance>} on {@code lease}. */
  public void report(StatusEntry entry, long lease) {
    ObjectNode put = EtcdClient.JSON.createObjectNode()
        .put("key", EtcdKeys.base64(prefix + STATUS + entry.instance()))
        .put("value", EtcdKeys.base64(entry.toJson())).put("lease", Long.toString(lease));
    client.call("/v3/kv/put", put, "report the status of " + entry.instance());
  }

  @Override
  public void close() {
    client.close();
  }

  private JsonNode guarded(ArrayNode ops, long modRevision, String what) {
    ObjectNode cmp = EtcdClient.JSON.createObjectNode()
        .put("key", EtcdKeys.base64(prefix + ROLLOUT)).put("target", "MOD").put("result", "EQUAL")
        .put("mod_revision", Long.toString(modRevision));
    JsonNode reply = txn(ops, cmp, what + " under " + prefix);
    if (!reply.path("succeeded").asBoolean(false)) {
      throw EtcdClient.invalid("QCFG-4654", "etcd " + prefix, "cannot " + what + ": the rollout"
          + " changed since it was read (another promote, abort or an automatic step won);"
          + " nothing was written: run 'qcfg rollout status' and try again");
    }
    return reply;
  }

  private JsonNode txn(ArrayNode ops, ObjectNode compare, String what) {
    ObjectNode txn = EtcdClient.JSON.createObjectNode();
    if (compare != null) {
      txn.putArray("compare").add(compare);
    }
    txn.set("success", ops);
    return client.call("/v3/kv/txn", txn, what);
  }

  private Optional<RolloutRecord> record(JsonNode response) {
    for (JsonNode kv : response.path("response_range").path("kvs")) {
      RolloutRecord r = RolloutRecord.parse(text(kv), kv.path("create_revision").asLong(),
          kv.path("mod_revision").asLong());
      if (r == null) {
        Log.warnOnce("rollout-foreign-record", prefix + ROLLOUT
            + ": not a qcfg rollout record; ignored [QCFG-4658]");
      }
      return Optional.ofNullable(r);
    }
    return Optional.empty();
  }

  static void range(ArrayNode ops, String key, boolean isPrefix) {
    ops.addObject().set("request_range", rangeOf(key, isPrefix));
  }

  static ObjectNode rangeOf(String key, boolean isPrefix) {
    byte[] k = EtcdKeys.bytes(key);
    ObjectNode o = EtcdClient.JSON.createObjectNode().put("key", EtcdKeys.base64(k));
    if (isPrefix) {
      o.put("range_end", EtcdKeys.base64(EtcdKeys.prefixEnd(k)));
    }
    return o;
  }

  private static void put(ArrayNode ops, String key, String value) {
    ops.addObject().set("request_put", EtcdClient.JSON.createObjectNode()
        .put("key", EtcdKeys.base64(key)).put("value", EtcdKeys.base64(value)));
  }

  static String key(JsonNode kv) {
    return new String(EtcdKeys.unbase64(kv.path("key").asText("")), StandardCharsets.UTF_8);
  }

  static String text(JsonNode kv) {
    String t = EtcdKeys.utf8OrNull(EtcdKeys.unbase64(kv.path("value").asText("")));
    return t == null ? "" : t;
  }
}
