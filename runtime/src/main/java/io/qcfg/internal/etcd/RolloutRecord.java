package io.qcfg.internal.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The value of {@code <prefix>rollout} while a canary rollout runs: which share of the fleet
 * applies the staged texts under {@code <prefix>canary/}, since when, and after how long of
 * health it promotes itself. Stored as JSON; the staged revision is the key's create revision
 * (the revision of the {@code publish --canary} transaction), so a step keeps it.
 *
 * @param stagedRevision the etcd create revision of the record (not stored in the JSON)
 * @param modRevision the etcd mod revision of the record, which every step compares (not stored)
 * @param percent 1..100
 * @param startedMillis when the rollout was staged, epoch milliseconds (the publisher's clock)
 * @param autoPromoteMillis health needed before the canaries promote it, 0 for never
 * @param state {@code canary} (the only state a stored record has: promote and abort remove it)
 */
public record RolloutRecord(
    long stagedRevision,
    long modRevision,
    int percent,
    long startedMillis,
    long autoPromoteMillis,
    String state) {

  /** The JSON stored in etcd. */
  public String toJson() {
    ObjectNode o = EtcdClient.JSON.createObjectNode();
    o.put("percent", percent).put("started", startedMillis)
        .put("autoPromoteMillis", autoPromoteMillis).put("state", state);
    return o.toString();
  }

  /** The record with another percentage, as {@code promote --to} stores it. */
  public RolloutRecord withPercent(int p) {
    return new RolloutRecord(stagedRevision, modRevision, p, startedMillis, autoPromoteMillis, state);
  }

  /**
   * Parses a stored record; null when the text is not one (a foreign or damaged value, which JVMs
   * then ignore: they keep the stable texts).
   */
  public static RolloutRecord parse(String json, long createRevision, long modRevision) {
    try {
      JsonNode o = EtcdClient.JSON.readTree(json);
      int p = o.path("percent").asInt(-1);
      if (o == null || !o.isObject() || p < 1 || p > 100 || !o.path("started").canConvertToLong()) {
        return null;
      }
      return new RolloutRecord(createRevision, modRevision, p, o.path("started").asLong(),
          Math.max(0, o.path("autoPromoteMillis").asLong(0)), o.path("state").asText("canary"));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
