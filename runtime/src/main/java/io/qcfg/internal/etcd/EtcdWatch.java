package io.qcfg.internal.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qcfg.QcfgException;
import io.qcfg.internal.log.Log;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A live watch of every key under a prefix, started by {@link EtcdSource#watch}. Close it to stop.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Events reach {@code onChange} in revision order on this watch's one thread ({@code
 *       qcfg-etcd-watch}): each {@link EtcdEvent.Changed} has a higher revision than every event
 *       before it, so each revision is delivered at most once; a {@link EtcdEvent.ResyncRequired}
 *       may repeat the previous event's revision (nothing changed while disconnected).
 *   <li>Never a silent gap: when etcd compacted revisions the watch had not delivered yet, or the
 *       connection was lost (or could not be made), a {@link EtcdEvent.ResyncRequired} is
 *       delivered once the watch is live again; the consumer must then re-read.
 *   <li>A lost connection is retried forever with exponential backoff from 100 ms to 5 s (with
 *       jitter, so that a fleet does not reconnect in lock step), moving to the next endpoint on
 *       every failure. An idle stream is checked every {@code probeInterval} with a linearizable
 *       read on the same member, so a partitioned member or a dead peer that never closed the TCP
 *       connection is noticed too.
 *   <li>If {@code onChange} throws, the failure is logged (QCFG-4623) and watching goes on; the
 *       revision counts as delivered.
 * </ul>
 *
 * <p>Concurrency: the watch thread owns {@code delivered}, the backoff and the endpoint index;
 * {@link #close()} may be called from any thread, including from inside {@code onChange}.
 */
public final class EtcdWatch implements AutoCloseable {
  static final Duration MIN_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final EtcdClient client;
  private final String prefix;
  private final Consumer<EtcdEvent> onChange;
  private final Duration probeInterval;
  private final Thread thread;
  private final Consumer<EtcdWatch> onClosed;
  private volatile boolean closed;
  private volatile WatchStream stream;
  private long delivered; // watch thread only

  EtcdWatch(
      EtcdClient client,
      String prefix,
      long seenRevision,
      Consumer<EtcdEvent> onChange,
      Duration probeInterval,
      Consumer<EtcdWatch> onClosed) {
    this.client = client;
    this.onClosed = onClosed;
    this.prefix = prefix;
    this.onChange = onChange;
    this.probeInterval = probeInterval;
    this.delivered = seenRevision;
    this.thread = new Thread(this::run, "qcfg-etcd-watch");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Stops watching; no event is delivered after this returns (unless called from onChange). */
  @Override
  public void close() {
    closed = true;
    onClosed.accept(this);
    WatchStream s = stream;
    if (s != null) {
      s.close();
    }
    thread.interrupt();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(client.timeout().toMillis() + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    Duration backoff = MIN_BACKOFF;
    EtcdEvent.Reason pending = null; // a resync owed to the consumer
    String pendingDetail = "";
    boolean outageLogged = false;
    int n = client.endpoints().size();
    int index = client.preferredIndex();
    while (!closed) {
      URI endpoint = client.endpoints().get(index);
      try {
        long resyncAt = -1;
        if (pending != null) {
          // Where the consumer's re-read will start from at the earliest; watch right after it.
          resyncAt = currentRevision();
        }
        long from = pending != null ? resyncAt + 1 : delivered + 1;
        String usedToken = client.token();
        WatchStream s = client.openWatch(endpoint, createRequest(from), usedToken);
        stream = s;
        if (closed) {
          s.close();
          break;
        }
        try {
          boolean created = false;
          while (!closed) {
            String line = s.next(created ? probeInterval : client.timeout());
            if (line == null) {
              if (!created) {
                throw new IOException("no answer to the watch request within " + client.timeout());
              }
              client.probe(endpoint, probeRequest());
              continue;
            }
            JsonNode msg = EtcdClient.JSON.readTree(line);
            if (msg.has("error")) {
              throw new IOException(
                  "etcd ended the watch: " + msg.path("message").asText(msg.path("error").asText()));
            }
            JsonNode r = msg.path("result");
            long compacted = r.path("compact_revision").asLong(0);
            if (compacted > 0) {
              pending = EtcdEvent.Reason.COMPACTED;
              pendingDetail =
                  "etcd compacted the history up to revision " + compacted
                      + " and the watch had delivered only up to " + delivered;
              Log.warn(client.location() + ": " + prefix + ": " + pendingDetail
                  + "; the layer will be read again [QCFG-4622]");
              break; // etcd cancelled this watch; start a new one after a fresh read
            }
            if (r.path("canceled").asBoolean(false)) {
              String reason = r.path("cancel_reason").asText("");
              if (client.renewIfTokenRefused(reason, usedToken)) {
                throw new IOException("the etcd token expired");
              }
              throw new WatchRefused(endpoint + " refused the watch: " + reason);
            }
            if (r.path("created").asBoolean(false)) {
              created = true;
              backoff = MIN_BACKOFF;
              client.succeeded(endpoint, r.path("header").path("revision").asLong(0));
              if (outageLogged) {
                Log.info(client.location() + ": " + prefix + ": watching again through "
                    + endpoint + " [QCFG-4621]");
                outageLogged = false;
              }
              if (pending != null) {
                EtcdEvent.Reason reason = pending;
                pending = null;
                deliver(new EtcdEvent.ResyncRequired(resyncAt, reason, pendingDetail));
              }
            }
            deliverEvents(r.path("events"));
          }
        } finally {
          s.close();
          stream = null;
        }
      } catch (IOException | WatchRefused | RuntimeException e) {
        // RuntimeException: QcfgException from a read, or an answer we could not decode; the
        // thread must never die silently, so both count as an outage.
        if (closed) {
          break;
        }
        String why =
            e instanceof IOException io
                ? EtcdClient.describe(io)
                : e instanceof QcfgException || e instanceof WatchRefused
                    ? e.getMessage()
                    : "an answer qcfg could not decode (" + e.getClass().getSimpleName() + ")";
        client.failed(endpoint, why);
        if (!outageLogged) {
          if (e instanceof WatchRefused) {
            Log.error(client.location() + ": " + prefix + ": " + why
                + "; retrying every " + MAX_BACKOFF.toSeconds() + " s at most [QCFG-4624]");
          } else {
            Log.warn(client.location() + ": " + prefix + ": lost the watch (" + why
                + "); reconnecting, the layer will be read again once back [QCFG-4620]");
          }
          outageLogged = true;
        }
        if (pending == null) {
          pending = EtcdEvent.Reason.RECONNECTED;
          pendingDetail = "the watch was interrupted (" + why + ") and is back";
        }
        index = (index + 1) % n;
        try {
          long ms = backoff.toMillis();
          Thread.sleep(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
            ? MAX_BACKOFF
            : backoff.multipliedBy(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  /** Groups events by revision (a transaction is one revision) and delivers the new ones. */
  private void deliverEvents(JsonNode events) {
    if (!events.isArray() || events.isEmpty()) {
      return;
    }
    long revision = -1;
    List<EtcdFile> puts = new ArrayList<>();
    List<String> deletes = new ArrayList<>();
    for (JsonNode e : events) {
      JsonNode kv = e.path("kv");
      long rev = kv.path("mod_revision").asLong(0);
      if (rev != revision) {
        flush(revision, puts, deletes);
        revision = rev;
        puts = new ArrayList<>();
        deletes = new ArrayList<>();
      }
      String key = new String(EtcdKeys.unbase64(kv.path("key").asText("")), StandardCharsets.UTF_8);
      if ("DELETE".equals(e.path("type").asText("PUT"))) {
        deletes.add(key);
      } else {
        // Lenient here: read() is the authoritative, strict decoder and reports bad bytes.
        String text =
            new String(EtcdKeys.unbase64(kv.path("value").asText("")), StandardCharsets.UTF_8);
        puts.add(new EtcdFile(key, text, rev));
      }
    }
    flush(revision, puts, deletes);
  }

  private void flush(long revision, List<EtcdFile> puts, List<String> deletes) {
    if (revision > delivered && (!puts.isEmpty() || !deletes.isEmpty())) {
      deliver(new EtcdEvent.Changed(revision, puts, deletes));
    }
  }

  private void deliver(EtcdEvent event) {
    if (event instanceof EtcdEvent.Changed) {
      if (event.revision() <= delivered) {
        return;
      }
      delivered = event.revision();
    } else {
      if (event.revision() < delivered) {
        // Only a new cluster (or a restore from an old backup) goes back in time; the consumer
        // re-reads anyway, and later revisions must not be dropped as "already seen".
        Log.warn(client.location() + ": " + prefix + ": etcd's revision went back from "
            + delivered + " to " + event.revision() + " (a new or restored cluster?) [QCFG-4625]");
      }
      delivered = event.revision();
    }
    client.succeeded(stream == null ? client.status().endpoint() : stream.endpoint(),
        event.revision());
    if (closed) {
      return;
    }
    try {
      onChange.accept(event);
    } catch (Throwable t) {
      Log.warn(client.location() + ": " + prefix + ": the etcd change callback failed at revision "
          + event.revision() + ", still watching [QCFG-4623]", t);
    }
  }

  private long currentRevision() {
    return client
        .call("/v3/kv/range", probeRequest(), "read the revision of " + prefix)
        .path("header")
        .path("revision")
        .asLong(0);
  }

  private ObjectNode probeRequest() {
    byte[] p = EtcdKeys.bytes(prefix);
    return EtcdClient.JSON
        .createObjectNode()
        .put("key", EtcdKeys.base64(p))
        .put("range_end", EtcdKeys.base64(EtcdKeys.prefixEnd(p)))
        .put("count_only", true);
  }

  private ObjectNode createRequest(long fromRevision) {
    byte[] p = EtcdKeys.bytes(prefix);
    ObjectNode create =
        EtcdClient.JSON
            .createObjectNode()
            .put("key", EtcdKeys.base64(p))
            .put("range_end", EtcdKeys.base64(EtcdKeys.prefixEnd(p)))
            .put("start_revision", Long.toString(fromRevision));
    ObjectNode body = EtcdClient.JSON.createObjectNode();
    body.set("create_request", create);
    return body;
  }

  /** etcd cancelled the watch for a reason other than compaction (permission, auth). */
  private static final class WatchRefused extends Exception {
    private static final long serialVersionUID = 1L;

    WatchRefused(String message) {
      super(message, null, false, false);
    }
  }
}
