package io.qcfg.internal.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.PlatformLinked;
import io.qcfg.internal.log.Log;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * etcd's v3 JSON gateway over {@link EtcdHttp} (the JDK's HTTP client): one POST with failover
 * across the endpoints, authentication and token renewal, and the mapping of etcd's errors to qcfg
 * messages.
 *
 * <p>Concurrency: shared by the engine thread (reads), watch threads and the publisher. {@code
 * token} is written only under {@code authLock} and read freely (volatile); {@code preferred}
 * and {@code status} are atomics. Nothing else is mutable.
 */
final class EtcdClient implements AutoCloseable {
  /** Plain tree model: no polymorphic typing, nothing is bound to classes. */
  static final ObjectMapper JSON = new ObjectMapper();

  // gRPC status codes that etcd's gateway returns in {"code": N}.
  private static final int INVALID_ARGUMENT = 3;
  private static final int DEADLINE_EXCEEDED = 4;
  private static final int PERMISSION_DENIED = 7;
  private static final int UNAVAILABLE = 14;
  private static final int UNAUTHENTICATED = 16;

  private final List<URI> endpoints;
  private final Optional<EtcdCredentials> credentials;
  private final Duration timeout;
  private final EtcdHttp http;
  private final AtomicInteger preferred = new AtomicInteger();
  private final Object authLock = new Object();
  private volatile String token;
  /** Numbers requests in the order they start; see {@link #update}. */
  private final AtomicLong requests = new AtomicLong();
  private final AtomicReference<Stamped> status;

  /** The status and the number of the request that last set its endpoint and connectedness. */
  private record Stamped(long request, EtcdStatus status) {}

  private EtcdClient(
      List<URI> endpoints,
      Optional<EtcdCredentials> credentials,
      Duration timeout,
      Optional<Path> caFile) {
    if (endpoints.isEmpty()) {
      throw new QcfgException.BadOption("QCFG-4600", "option etcd: expected at least one endpoint");
    }
    Optional<SSLContext> tls = caFile.map(EtcdTls::trusting); // before any thread exists
    this.endpoints = List.copyOf(endpoints);
    this.credentials = credentials;
    this.timeout = timeout;
    ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "qcfg-etcd-http");
              t.setDaemon(true);
              return t;
            });
    try {
      this.http = PlatformLinked.make("JdkEtcdHttp", EtcdHttp.class,
          new Class<?>[] {Duration.class, SSLContext.class, ExecutorService.class},
          timeout, tls.orElse(null), executor);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new java.io.UncheckedIOException(e); // the constructor does no I/O
    }
    this.status =
        new AtomicReference<>(new Stamped(0,
            new EtcdStatus(false, this.endpoints.get(0), 0, Optional.empty(), Optional.empty())));
  }

  /**
   * A client for {@code endpoints}; authenticates first when credentials are given.
   *
   * @param caFile PEM certificates to trust for https endpoints instead of the JVM's trust store
   *
   * @throws QcfgException.Invalid when no endpoint answers or authentication fails
   */
  static EtcdClient open(
      List<URI> endpoints,
      Optional<EtcdCredentials> credentials,
      Duration timeout,
      Optional<Path> caFile) {
    EtcdClient c = new EtcdClient(endpoints, credentials, timeout, caFile);
    try {
      if (credentials.isPresent()) {
        c.authenticate(null);
      }
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  List<URI> endpoints() {
    return endpoints;
  }

  Duration timeout() {
    return timeout;
  }

  int preferredIndex() {
    return preferred.get();
  }

  /** {@code etcd http://a:2379,http://b:2379}: where a failure across all endpoints happened. */
  String location() {
    return "etcd " + endpoints.stream().map(URI::toString).collect(Collectors.joining(","));
  }

  /**
   * POSTs {@code body} to {@code path}, trying each endpoint in turn (the last one that answered
   * first) while they are unreachable or say they are unavailable; renews the token once if etcd
   * says it expired.
   *
   * @param what what the call does, for messages ("read the etcd layer")
   * @return the answer's JSON
   * @throws QcfgException.Invalid with an id from QCFG-4610..4615 saying what went wrong
   */
  JsonNode call(String path, ObjectNode body, String what) {
    return call(path, body, what, true);
  }

  private JsonNode call(String path, ObjectNode body, String what, boolean mayRenewToken) {
    int n = endpoints.size();
    int start = preferred.get();
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = (start + i) % n;
      URI endpoint = endpoints.get(index);
      String usedToken = token;
      long request = nextRequest();
      Reply reply;
      try {
        reply = send(endpoint, path, body, usedToken);
      } catch (IOException e) {
        reasons.add(endpoint + ": " + describe(e));
        update(request, false, endpoint, 0, describe(e));
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw invalid("QCFG-4610", location(), "interrupted while waiting for etcd to " + what);
      }
      if (reply.ok()) {
        preferred.set(index);
        update(request, true, endpoint, reply.json().path("header").path("revision").asLong(0), null);
        return reply.json();
      }
      int code = reply.json().path("code").asInt(-1);
      String message = reply.etcdMessage();
      if (code == UNAVAILABLE || code == DEADLINE_EXCEEDED || reply.status() >= 500 && code < 0) {
        // This member cannot serve (no leader, partitioned, shutting down): another may.
        reasons.add(endpoint + ": " + message);
        update(request, false, endpoint, 0, message);
        continue;
      }
      if (code == UNAUTHENTICATED && credentials.isPresent() && mayRenewToken) {
        authenticate(usedToken); // the token expired or the member restarted: get a new one
        return call(path, body, what, false);
      }
      QcfgException.Invalid e = refusal(endpoint, reply, code, message, what);
      update(request, false, endpoint, 0, e.problems().get(0).toString());
      throw e;
    }
    String reason =
        "cannot " + what + ": no endpoint answered (" + String.join("; ", reasons) + ")";
    throw invalid("QCFG-4610", location(), reason);
  }

  /**
   * One POST to one endpoint, no failover, no renewal: what a watch uses to check that its member
   * is still alive and serving linearizable reads.
   *
   * @throws IOException when it is not
   */
  void probe(URI endpoint, ObjectNode body) throws IOException, InterruptedException {
    String usedToken = token;
    Reply r = send(endpoint, "/v3/kv/range", body, usedToken);
    if (!r.ok() && r.json().path("code").asInt(-1) == UNAUTHENTICATED && credentials.isPresent()) {
      // A JWT token expired under a long watch: renew it, the member itself is fine.
      authenticate(usedToken);
      r = send(endpoint, "/v3/kv/range", body, token);
    }
    if (!r.ok()) {
      throw new IOException(endpoint + ": " + r.etcdMessage());
    }
  }

  /** Exchanges the credentials for a fresh token, unless another thread already replaced {@code stale}. */
  void authenticate(String stale) {
    EtcdCredentials c = credentials.orElseThrow();
    synchronized (authLock) {
      if (token != null && token != stale) {
        return;
      }
      ObjectNode body = JSON.createObjectNode().put("name", c.user()).put("password", c.password());
      String saved = token;
      token = null; // authenticate without a token: an old one would be refused first
      try {
        JsonNode reply = call("/v3/auth/authenticate", body, "authenticate as '" + c.user() + "'",
            false);
        String t = reply.path("token").asText("");
        if (t.isEmpty()) {
          throw invalid("QCFG-4611", location(), "user '" + c.user() + "': etcd answered the"
              + " authentication without a token (is authentication enabled on the cluster?)");
        }
        token = t;
        if (stale != null) {
          Log.debug(location() + ": user '" + c.user() + "': the etcd token was no longer valid"
              + " (expired, or the member restarted); authenticated again [QCFG-4617]");
        }
      } catch (RuntimeException e) {
        token = saved;
        throw e;
      }
    }
  }

  /** Whether a watch's cancel reason says the token is no longer valid, and renews it if so. */
  boolean renewIfTokenRefused(String cancelReason, String usedToken) {
    if (credentials.isPresent() && cancelReason.contains("invalid auth token")) {
      authenticate(usedToken);
      return true;
    }
    return false;
  }

  String token() {
    return token;
  }

  /** Starts a watch request; the returned stream yields the gateway's JSON lines. */
  WatchStream openWatch(URI endpoint, ObjectNode body, String usedToken) {
    WatchStream s = new WatchStream(endpoint);
    http.stream(endpoint.resolve("/v3/watch"), bytes(body), usedToken, s);
    return s;
  }

  EtcdStatus status() {
    return status.get().status();
  }

  /** The number of a request that starts now. */
  long nextRequest() {
    return requests.incrementAndGet();
  }

  /** A watch heard from {@code endpoint} just now (it answered the request or sent events). */
  void succeeded(URI endpoint, long revision) {
    update(nextRequest(), true, endpoint, revision, null);
  }

  /** A watch lost {@code endpoint} just now. */
  void failed(URI endpoint, String error) {
    update(nextRequest(), false, endpoint, 0, error);
  }

  /**
   * Records the outcome of request number {@code request}. Reads, watches and probes run on
   * several threads, so outcomes can arrive out of order: a read that failed over to a second
   * member may finish before another thread's older attempt on the dead member times out. Only
   * the newest request decides {@code connected} and {@code endpoint}; an older one still raises
   * the revision and records its error, which did happen.
   */
  void update(long request, boolean ok, URI endpoint, long revision, String error) {
    Optional<String> lastError = ok ? Optional.empty() : Optional.of(error);
    Optional<Instant> at = ok ? Optional.empty() : Optional.of(Instant.now());
    status.updateAndGet(stamped -> {
      EtcdStatus s = stamped.status();
      boolean newest = request > stamped.request();
      return new Stamped(Math.max(request, stamped.request()), new EtcdStatus(
          newest ? ok : s.connected(),
          newest ? endpoint : s.endpoint(),
          Math.max(s.revision(), revision),
          ok ? s.lastError() : lastError,
          ok ? s.lastErrorAt() : at));
    });
  }

  /** Messages about a refusal by a member that answered. */
  QcfgException.Invalid refusal(URI endpoint, Reply reply, int code, String message, String what) {
    String where = "etcd " + endpoint;
    String user = credentials.map(c -> "user '" + c.user() + "': ").orElse("");
    if (message.contains("authentication failed")) {
      return invalid("QCFG-4611", where, user + "authentication failed: wrong user name or"
          + " password (etcd says: " + message + ")");
    }
    if (message.contains("user name is empty")
        || code == UNAUTHENTICATED && credentials.isEmpty()) {
      return invalid("QCFG-4612", where, "etcd has authentication enabled and no credentials"
          + " were given (etcd says: " + message + ")");
    }
    if (code == PERMISSION_DENIED || message.contains("permission denied")) {
      return invalid("QCFG-4613", where, user + "permission denied: cannot " + what
          + " (grant the user's role access to the prefix)");
    }
    if (code < 0) {
      return invalid("QCFG-4615", where, "cannot " + what + ": expected an answer of etcd's v3"
          + " JSON gateway (etcd 3.4 or newer), found HTTP " + reply.status()
          + (reply.status() == 404 ? " Not Found" : ""));
    }
    return invalid("QCFG-4614", where, "cannot " + what + ": etcd refused: " + message
        + " (gRPC code " + code + (code == INVALID_ARGUMENT ? ", invalid argument" : "") + ")");
  }

  static QcfgException.Invalid invalid(String id, String location, String reason) {
    return new QcfgException.Invalid(new Problem(id, location, "", reason));
  }

  /** A transport failure in words, with a hint where one helps; never a secret. */
  static String describe(IOException e) {
    // By name: java.net.http is the platform loader's, which qcfg's own loader may not see.
    if (isA(e, "java.net.http.HttpConnectTimeoutException")) {
      return "connect timed out";
    }
    if (isA(e, "java.net.http.HttpTimeoutException")) {
      return "no answer within the timeout";
    }
    if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
      return "connection refused";
    }
    Throwable ssl = e;
    while (ssl != null && !(ssl instanceof SSLException)) {
      ssl = ssl.getCause();
    }
    if (ssl != null) {
      return "TLS failed: " + io.qcfg.internal.crypto.ForeignText.describe(ssl) + " (for a private CA give its PEM file to qcfg,"
          + " or start the JVM with -Djavax.net.ssl.trustStore=<file>)";
    }
    return io.qcfg.internal.crypto.ForeignText.describe(e); // qcfg's wording, scrubbed
  }

  private static boolean isA(Throwable t, String className) {
    for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals(className)) {
        return true;
      }
    }
    return false;
  }

  private Reply send(URI endpoint, String path, ObjectNode body, String usedToken)
      throws IOException, InterruptedException {
    EtcdHttp.Answer r = http.post(endpoint.resolve(path), bytes(body), usedToken, timeout);
    JsonNode json;
    try {
      json = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      json = null;
    }
    if (json == null || !json.isObject()) {
      if (r.status() == 200) {
        throw new IOException("answer to " + path + " is not JSON");
      }
      json = JSON.createObjectNode();
    }
    return new Reply(r.status(), json);
  }

  private static byte[] bytes(ObjectNode body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new QcfgException.BugOrBroken("cannot write an etcd request", e);
    }
  }

  @Override
  public void close() {
    http.close();
  }

  /** One answer: the HTTP status and the JSON object (empty when the body was not JSON). */
  record Reply(int status, JsonNode json) {
    boolean ok() {
      return status == 200 && !json.has("error");
    }

    String etcdMessage() {
      String m = json.path("message").asText("");
      if (m.isEmpty()) {
        m = json.path("error").asText("");
      }
      return m.isEmpty() ? "HTTP " + status : m;
    }

    @Override
    public String toString() {
      return "Reply[" + status + "]";
    }
  }
}
