package io.qcfg.internal.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an operator does to etcd with etcdctl, done straight through the JSON gateway so that tests
 * do not depend on the code under test.
 */
final class EtcdAdmin {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private final URI url;
  private String token;

  EtcdAdmin(URI url) {
    this.url = url;
  }

  /** Puts one key; returns the revision of the put. */
  long put(String key, String value) {
    return put(key, value.getBytes(StandardCharsets.UTF_8));
  }

  long put(String key, byte[] value) {
    ObjectNode b = JSON.createObjectNode().put("key", b64(key)).put("value", b64(value));
    return post("/v3/kv/put", b).path("header").path("revision").asLong();
  }

  long delete(String key) {
    return post("/v3/kv/deleterange", JSON.createObjectNode().put("key", b64(key)))
        .path("header")
        .path("revision")
        .asLong();
  }

  /** Every key under {@code prefix} with its value as text, sorted. */
  Map<String, String> list(String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
    JsonNode r =
        post(
            "/v3/kv/range",
            JSON.createObjectNode()
                .put("key", b64(p))
                .put("range_end", b64(EtcdKeys.prefixEnd(p))));
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode kv : r.path("kvs")) {
      out.put(
          new String(Base64.getDecoder().decode(kv.path("key").asText()), StandardCharsets.UTF_8),
          new String(Base64.getDecoder().decode(kv.path("value").asText("")), StandardCharsets.UTF_8));
    }
    return out;
  }

  long modRevision(String key) {
    JsonNode r = post("/v3/kv/range", JSON.createObjectNode().put("key", b64(key)));
    return r.path("kvs").path(0).path("mod_revision").asLong(-1);
  }

  long revision() {
    return post("/v3/kv/range", JSON.createObjectNode().put("key", b64("\0")))
        .path("header")
        .path("revision")
        .asLong();
  }

  void compact(long revision) {
    post("/v3/kv/compaction",
        JSON.createObjectNode().put("revision", Long.toString(revision)).put("physical", true));
  }

  /**
   * {@code etcdctl user add root; etcdctl auth enable} plus a user {@code reader} who may only
   * read {@code readable}: afterwards this admin authenticates as root.
   */
  void enableAuth(String rootPassword, String readerPassword, String readable) {
    post("/v3/auth/role/add", JSON.createObjectNode().put("name", "root"));
    post("/v3/auth/user/add", JSON.createObjectNode().put("name", "root").put("password", rootPassword));
    post("/v3/auth/user/grant", JSON.createObjectNode().put("user", "root").put("role", "root"));
    post("/v3/auth/role/add", JSON.createObjectNode().put("name", "reader"));
    byte[] p = readable.getBytes(StandardCharsets.UTF_8);
    ObjectNode perm =
        JSON.createObjectNode()
            .put("key", b64(p))
            .put("range_end", b64(EtcdKeys.prefixEnd(p)))
            .put("permType", "READ");
    ObjectNode grant = JSON.createObjectNode().put("name", "reader");
    grant.set("perm", perm);
    post("/v3/auth/role/grant", grant);
    post("/v3/auth/user/add", JSON.createObjectNode().put("name", "reader").put("password", readerPassword));
    post("/v3/auth/user/grant", JSON.createObjectNode().put("user", "reader").put("role", "reader"));
    post("/v3/auth/enable", JSON.createObjectNode());
    token =
        post("/v3/auth/authenticate",
                JSON.createObjectNode().put("name", "root").put("password", rootPassword))
            .path("token")
            .asText();
  }

  JsonNode post(String path, ObjectNode body) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(url.resolve(path))
              .timeout(Duration.ofSeconds(5))
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      if (token != null) {
        b.header("Authorization", token);
      }
      HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode json = JSON.readTree(r.body());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(path + ": HTTP " + r.statusCode() + ": " + json);
      }
      return json;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String s) {
    return b64(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
