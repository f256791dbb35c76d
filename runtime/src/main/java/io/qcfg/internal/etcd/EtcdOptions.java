package io.qcfg.internal.etcd;

import io.qcfg.QcfgException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Parses the {@code etcd} and {@code etcd-prefix} options. */
public final class EtcdOptions {
  /** The user-info part of a URL-ish string, which may hold a password. */
  private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/?#]*@");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private EtcdOptions() {}

  /**
   * The endpoints of {@code etcd=http://h1:2379,https://h2:2379}: comma-separated, each {@code
   * http} or {@code https} with a host and a port, no path, no user info (credentials come from
   * their own options, never from a URL that would end up in logs).
   *
   * @throws QcfgException.BadOption QCFG-4600 naming the bad entry
   */
  public static List<URI> endpoints(String option) {
    if (option == null || option.isBlank()) {
      throw bad("QCFG-4600", "option etcd: expected http://host:port[,http://host2:port...],"
          + " found nothing");
    }
    List<URI> out = new ArrayList<>();
    // "," or ";": in an agent argument "," already separates options, so endpoints there use ";".
    for (String raw : option.split("[,;]", -1)) {
      String s = raw.trim();
      if (s.isEmpty()) {
        throw bad("QCFG-4600", "option etcd: '" + shown(option.trim()) + "': expected"
            + " http://host:port[,http://host2:port...], found an empty entry");
      }
      URI u;
      try {
        u = new URI(s);
      } catch (URISyntaxException e) {
        throw bad("QCFG-4600", "option etcd: '" + shown(s) + "': expected http://host:port or"
            + " https://host:port, found a malformed URI");
      }
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
      String why = null;
      if (!scheme.equals("http") && !scheme.equals("https")) {
        why = "scheme must be http or https";
      } else if (u.getRawUserInfo() != null || USER_INFO.matcher(s).find()) {
        why = "no user:password in the URL (give credentials through their own options)";
      } else if (u.getHost() == null) {
        why = "no host";
      } else if (u.getPort() < 1) {
        why = "no port (etcd's client port is usually 2379)";
      } else if (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")
          || u.getRawQuery() != null || u.getRawFragment() != null) {
        why = "no path, query or fragment";
      }
      if (why != null) {
        throw bad("QCFG-4600", "option etcd: '" + shown(s) + "': expected http://host:port or"
            + " https://host:port, " + why);
      }
      out.add(URI.create(scheme + "://" + u.getRawAuthority()));
    }
    return List.copyOf(out);
  }

  /**
   * The key prefix of {@code etcd-prefix=/qcfg/shop/}, with a trailing {@code /} added when
   * missing (so that {@code /qcfg/shop} never also matches {@code /qcfg/shop2/...}).
   *
   * @throws QcfgException.BadOption QCFG-4601 for an empty prefix or one that is only slashes
   *     (publishing there would delete the whole key space under it)
   */
  public static String prefix(String option) {
    String p = option == null ? "" : option.trim();
    if (p.replace("/", "").isEmpty()) {
      throw bad("QCFG-4601", "option etcd-prefix: expected a key prefix such as /qcfg/<app>/,"
          + " found '" + p + "'");
    }
    if (p.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw bad("QCFG-4601", "option etcd-prefix: expected a key prefix such as /qcfg/<app>/,"
          + " found control characters");
    }
    return p.endsWith("/") ? p : p + "/";
  }

  /** Checks an environment name before it becomes part of a key. */
  static String environment(String env) {
    if (env == null || !ENV_NAME.matcher(env).matches() || env.contains("..")) {
      throw bad("QCFG-4602", "etcd: environment '" + env + "': expected letters, digits, '_', '-'"
          + " or '.' only, since it becomes part of the key environments/<env>.conf");
    }
    return env;
  }

  /** The entry as the user wrote it, but never its user info: that may hold a password. */
  private static String shown(String entry) {
    return USER_INFO.matcher(entry).replaceFirst("***@");
  }

  private static QcfgException.BadOption bad(String id, String message) {
    return new QcfgException.BadOption(id, message);
  }
}
