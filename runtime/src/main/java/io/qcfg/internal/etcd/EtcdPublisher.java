package io.qcfg.internal.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.tree.Origins;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The etcd layer's writing side, for the CLI's {@code publish}: replaces the whole configuration
 * under a prefix in one etcd transaction, so every JVM of the fleet sees either the old or the new
 * configuration, never a mix.
 *
 * <p>Validate before publishing: the publisher checks names, not HOCON.
 */
public final class EtcdPublisher {
  /** The timeout of {@link #publish(List, String, Optional, Map)}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private EtcdPublisher() {}

  /** {@link #publish(List, String, Optional, Duration, Map)} with {@link #DEFAULT_TIMEOUT}. */
  public static long publish(
      List<URI> endpoints,
      String prefix,
      Optional<EtcdCredentials> credentials,
      Map<String, String> nameToText) {
    return publish(endpoints, prefix, credentials, DEFAULT_TIMEOUT, nameToText);
  }

  /**
   * Writes every file under {@code prefix} and deletes every other key under it except the JVMs'
   * status entries under {@code <prefix>status/} (so also a canary rollout in progress), all in one
   * transaction ({@code /v3/kv/txn}): all or nothing. The deletes are ranges around the written
   * keys (etcd refuses a put and a delete of the same key in one transaction), so a key someone
   * adds under the prefix while we publish is deleted too, or, if it comes later, survives whole.
   *
   * <p>etcd limits a transaction to 128 operations by default ({@code --max-txn-ops}), which is
   * about 60 files, and a request to 1.5 MiB ({@code --max-request-bytes}); beyond that etcd's
   * refusal is reported as QCFG-4614.
   *
   * @param nameToText names relative to the prefix ({@code application.conf}, {@code
   *     environments/production.conf}) to UTF-8 text; see {@link #layerTexts(Path)}
   * @return the etcd revision of the transaction: every key published has this mod revision
   * @throws QcfgException.BadOption QCFG-4603 for a name that cannot be a key, 4604 for nothing to
   *     publish, 4600/4601 for bad endpoints or prefix
   * @throws QcfgException.Invalid as {@link EtcdSource} documents (QCFG-4610..4615); then nothing
   *     was written
   */
  public static long publish(
      List<URI> endpoints,
      String prefix,
      Optional<EtcdCredentials> credentials,
      Duration timeout,
      Map<String, String> nameToText) {
    return publish(endpoints, prefix, credentials, timeout, Optional.empty(), nameToText);
  }

  /**
   * {@link #publish(List, String, Optional, Duration, Map)} trusting the CA certificates in
   * {@code caFile} (PEM) for {@code https://} endpoints, as {@link EtcdSource#connect(List,
   * String, Optional, Duration, Optional)} does.
   */
  public static long publish(
      List<URI> endpoints,
      String prefix,
      Optional<EtcdCredentials> credentials,
      Duration timeout,
      Optional<Path> caFile,
      Map<String, String> nameToText) {
    String p = EtcdOptions.prefix(prefix);
    if (nameToText.isEmpty()) {
      throw new QcfgException.BadOption("QCFG-4604", "etcd " + p + ": nothing to publish: expected"
          + " at least application.conf or one environments/<env>.conf (publishing nothing would"
          + " delete the fleet's configuration)");
    }
    // Sorted as etcd sorts keys (unsigned bytes), to cut the gaps between them.
    record Entry(byte[] key, String text) {}
    List<Entry> entries = new ArrayList<>();
    for (var e : nameToText.entrySet()) {
      checkName(p, e.getKey());
      entries.add(new Entry(EtcdKeys.bytes(p + e.getKey()), e.getValue()));
    }
    entries.sort((a, b) -> EtcdKeys.compare(a.key(), b.key()));

    ArrayNode ops = EtcdClient.JSON.createArrayNode();
    byte[] from = EtcdKeys.bytes(p);
    // The JVMs' status entries (on their leases) are not configuration: a publish keeps them.
    byte[] status = EtcdKeys.bytes(p + Rollouts.STATUS);
    for (Entry e : entries) {
      deleteRangeExcept(ops, from, e.key(), status);
      ObjectNode put =
          EtcdClient.JSON
              .createObjectNode()
              .put("key", EtcdKeys.base64(e.key()))
              .put("value", EtcdKeys.base64(e.text()));
      ops.addObject().set("request_put", put);
      from = EtcdKeys.successor(e.key());
    }
    deleteRangeExcept(ops, from, EtcdKeys.prefixEnd(EtcdKeys.bytes(p)), status);
    ObjectNode txn = EtcdClient.JSON.createObjectNode();
    txn.set("success", ops);

    try (EtcdClient client = EtcdClient.open(endpoints, credentials, timeout, caFile)) {
      JsonNode reply = client.call("/v3/kv/txn", txn, "publish " + entries.size() + " keys under " + p);
      long revision = reply.path("header").path("revision").asLong(-1);
      if (!reply.path("succeeded").asBoolean(false) || revision < 0) {
        throw EtcdClient.invalid("QCFG-4615", client.location(), "cannot publish under " + p
            + ": the transaction's answer does not say it succeeded");
      }
      return revision;
    }
  }

  /**
   * The layer files of a configuration directory as {@link #publish} takes them: {@code
   * application.conf} and every {@code environments/*.conf}, read as UTF-8. Never {@code
   * local.conf} (a developer's machine) nor {@code secrets/} (etcd is not a secret store).
   *
   * @throws QcfgException.Invalid QCFG-4605 naming a file that cannot be read, is not UTF-8, or
   *     is a template ({@code *.conf.peb}, which etcd cannot hold)
   */
  public static Map<String, String> layerTexts(Path configDir) {
    Map<String, String> out = new TreeMap<>();
    List<Problem> problems = new ArrayList<>();
    read(configDir.resolve("application.conf"), "application.conf", out, problems);
    templateRefused(configDir.resolve("application.conf.peb"), problems);
    Path envs = configDir.resolve("environments");
    if (Files.isDirectory(envs)) {
      List<Path> files = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(envs)) {
        ds.forEach(files::add);
      } catch (IOException e) {
        problems.add(new Problem("QCFG-4605", Origins.display(envs), "",
            "cannot list the directory: " + e.getClass().getSimpleName()));
      }
      files.sort(Comparator.comparing(Path::toString));
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.endsWith(".conf")) {
          read(f, "environments/" + name, out, problems);
        }
        templateRefused(f, problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new QcfgException.Invalid(problems);
    }
    return out;
  }

  private static void read(Path file, String name, Map<String, String> out, List<Problem> problems) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try {
      String text = EtcdKeys.utf8OrNull(Files.readAllBytes(file));
      if (text == null) {
        problems.add(new Problem("QCFG-4605", Origins.display(file), "",
            "expected UTF-8 HOCON text, found bytes that are not UTF-8"));
      } else {
        out.put(name, text);
      }
    } catch (IOException e) {
      problems.add(new Problem("QCFG-4605", Origins.display(file), "",
          "cannot read the file: " + e.getClass().getSimpleName()));
    }
  }

  private static void templateRefused(Path file, List<Problem> problems) {
    if (file.getFileName().toString().endsWith(".conf.peb") && Files.exists(file)) {
      problems.add(new Problem("QCFG-4605", Origins.display(file), "",
          "templates cannot be published to etcd: render it per environment, or keep it in the"
              + " configuration directory"));
    }
  }

  /** Deletes [from, to) but not the keys starting with {@code kept}. */
  private static void deleteRangeExcept(ArrayNode ops, byte[] from, byte[] to, byte[] kept) {
    byte[] keptEnd = EtcdKeys.prefixEnd(kept);
    if (EtcdKeys.compare(to, kept) <= 0 || EtcdKeys.compare(from, keptEnd) >= 0) {
      deleteRange(ops, from, to);
    } else {
      deleteRange(ops, from, kept);
      deleteRange(ops, keptEnd, to);
    }
  }

  private static void deleteRange(ArrayNode ops, byte[] from, byte[] to) {
    if (EtcdKeys.compare(from, to) >= 0) {
      return; // empty gap: two published keys are adjacent
    }
    ObjectNode del =
        EtcdClient.JSON
            .createObjectNode()
            .put("key", EtcdKeys.base64(from))
            .put("range_end", EtcdKeys.base64(to));
    ops.addObject().set("request_delete_range", del);
  }

  /** A name must be a plain relative key: no empty, {@code .} or {@code ..} segments, no controls. */
  private static void checkName(String prefix, String name) {
    String why = null;
    if (name == null || name.isEmpty()) {
      why = "an empty name";
    } else if (name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
      why = "a name with a leading, trailing or doubled '/'";
    } else if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
      why = "control characters or '\\'";
    } else {
      for (String seg : name.split("/")) {
        if (seg.equals(".") || seg.equals("..")) {
          why = "a '.' or '..' segment";
        }
      }
    }
    if (why != null) {
      throw new QcfgException.BadOption("QCFG-4603", "etcd " + prefix + ": cannot publish '"
          + name + "': expected a name relative to the prefix such as application.conf or"
          + " environments/production.conf, found " + why);
    }
  }
}
