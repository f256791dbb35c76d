package io.qcfg.internal.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * What one JVM reports under {@code <prefix>status/<instance>}, on a lease, so that a dead JVM's
 * entry disappears within the lease's time to live.
 *
 * @param instance the JVM's instance id (option {@code instance})
 * @param version the active configuration version
 * @param checksum the active configuration's checksum
 * @param probation the probation state ({@code off} until probation exists)
 * @param healthy the JVM's verdict on its active configuration
 * @param autoRollbacks how many automatic rollbacks this JVM made
 * @param staged the staged revision of the rollout this JVM is a canary of, 0 when it is not
 * @param etcdRevision the etcd revision of the active configuration
 */
public record StatusEntry(
    String instance,
    long version,
    String checksum,
    String probation,
    boolean healthy,
    long autoRollbacks,
    long staged,
    long etcdRevision) {

  public String toJson() {
    ObjectNode o = EtcdClient.JSON.createObjectNode();
    o.put("instance", instance).put("version", version).put("checksum", checksum)
        .put("probation", probation).put("healthy", healthy).put("autoRollbacks", autoRollbacks)
        .put("staged", staged).put("etcdRevision", etcdRevision);
    return o.toString();
  }

  /** Parses an entry; null for a foreign or damaged value (ignored with a warning by callers). */
  public static StatusEntry parse(String json) {
    try {
      JsonNode o = EtcdClient.JSON.readTree(json);
      if (o == null || !o.isObject() || !o.path("instance").isTextual()
          || !o.path("healthy").isBoolean()) {
        return null;
      }
      return new StatusEntry(o.path("instance").asText(), o.path("version").asLong(),
          o.path("checksum").asText(""), o.path("probation").asText("off"),
          o.path("healthy").asBoolean(), o.path("autoRollbacks").asLong(),
          o.path("staged").asLong(), o.path("etcdRevision").asLong());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
