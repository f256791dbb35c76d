package io.qcfg.internal.guard;

import io.qcfg.QcfgException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The options of probation (issue 18): {@code probation}, {@code health-url}, {@code
 * health-interval}, {@code health-timeout} and {@code uncaught-rate}.
 *
 * @param probation how long a change stays on probation; null: probation is off (the default)
 * @param healthUrl the application's own health URL, or null
 * @param interval how often the health checks run during probation
 * @param timeout how long one call of a check (or the URL) may take before it counts as unhealthy
 * @param uncaughtRate uncaught exceptions per second during probation above which the change is
 *     unhealthy; 0: not watched
 */
public record GuardOptions(Duration probation, URI healthUrl, Duration interval, Duration timeout,
    double uncaughtRate) {
  /** Probation off. */
  public static final GuardOptions OFF =
      new GuardOptions(null, null, Duration.ofSeconds(1), Duration.ofSeconds(2), 0);

  /** The option names, in the order the README lists them. */
  public static final java.util.List<String> NAMES = java.util.List.of("probation", "health-url",
      "health-interval", "health-timeout", "uncaught-rate");

  /** A URL whose host is not loopback must carry this prefix, so it is never remote by accident. */
  static final String REMOTE = "remote:";


  /**
   * Parses the probation options from {@code v} (option name to value; absent: default).
   *
   * @throws QcfgException.BadOption QCFG-4711 for a bad duration or rate, QCFG-4712 for a
   *     malformed health URL, QCFG-4713 for a non-loopback URL without {@code remote:}
   */
  public static GuardOptions parse(Map<String, String> v) {
    String p = v.getOrDefault("probation", "off").trim();
    Duration probation = p.isEmpty() || p.equalsIgnoreCase("off") || p.equalsIgnoreCase("false")
        ? null : duration("probation", p, Duration.ofMillis(100), Duration.ofDays(1));
    Duration interval = duration("health-interval", v.getOrDefault("health-interval", "1s"),
        Duration.ofMillis(50), Duration.ofHours(1));
    Duration timeout = duration("health-timeout", v.getOrDefault("health-timeout", "2s"),
        Duration.ofMillis(10), Duration.ofMinutes(10));
    String u = v.get("health-url");
    URI url = u == null || u.isBlank() ? null : url(u.trim());
    return new GuardOptions(probation, url, interval, timeout,
        rate(v.getOrDefault("uncaught-rate", "off")));
  }

  /** Whether probation is on. */
  public boolean enabled() {
    return probation != null;
  }

  static Duration duration(String name, String s, Duration min, Duration max) {
    Duration d = parseDuration(s.trim());
    if (d != null && d.compareTo(min) >= 0 && d.compareTo(max) <= 0) {
      return d;
    }
    throw new QcfgException.BadOption("QCFG-4711", "option " + name + ": expected a duration from "
        + show(min) + " to " + show(max) + " as a whole number with unit ms, s, m or h (e.g. 30s),"
        + " found '" + s + "'");
  }

  /**
   * {@code 1 to 9 digits, optional spaces, ms|s|m|h} (any case), else null. By hand, not with a
   * regex: premain parses these options, and java.util.regex costs it milliseconds (issue 16).
   */
  static Duration parseDuration(String t) {
    int i = 0;
    while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
      i++;
    }
    if (i == 0 || i > 9) {
      return null;
    }
    long n = Long.parseLong(t.substring(0, i));
    while (i < t.length() && isSpace(t.charAt(i))) {
      i++;
    }
    return switch (t.substring(i).toLowerCase(Locale.ROOT)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> null;
    };
  }

  /** The regex {@code \\s}: space, tab, newline, vertical tab, form feed, carriage return. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  private static String show(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + "ms" : d.toSeconds() + "s";
  }

  private static double rate(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.isEmpty() || t.equals("off") || t.equals("false")) {
      return 0;
    }
    try {
      double r = Double.parseDouble(t.endsWith("/s") ? t.substring(0, t.length() - 2) : t);
      if (r > 0 && r <= 1_000_000) {
        return r;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new QcfgException.BadOption("QCFG-4711", "option uncaught-rate: expected uncaught"
        + " exceptions per second above 0 (e.g. 5 or 0.5/s), or off; found '" + s + "'");
  }

  /**
   * {@code http://HOST:PORT/PATH} or https; the host must be loopback ({@code 127.0.0.1}, {@code
   * localhost}, {@code [::1]}) unless the value starts with {@value #REMOTE}, as option {@code
   * http} binds loopback unless another interface is spelled out.
   */
  static URI url(String value) {
    boolean remote = value.regionMatches(true, 0, REMOTE, 0, REMOTE.length());
    String text = remote ? value.substring(REMOTE.length()).trim() : value;
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw badUrl(value, "not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw badUrl(value, "expected an http or https URL");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw badUrl(value, "expected a host (and no user name or password)");
    }
    if (!remote && !loopback(uri.getHost())) {
      throw new QcfgException.BadOption("QCFG-4713", "option health-url: " + uri.getHost()
          + " is not a loopback address; qcfg calls the application's own health URL (127.0.0.1,"
          + " localhost or [::1]). To call another host, spell it out: health-url=remote:" + text);
    }
    return uri;
  }

  static boolean loopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.equals("[::1]") || h.equals("::1")
        || h.matches("127(\\.[0-9]{1,3}){3}");
  }

  private static QcfgException.BadOption badUrl(String value, String why) {
    // The value may carry a token in its query: only its length is shown.
    return new QcfgException.BadOption("QCFG-4712", "option health-url: " + why + " (e.g."
        + " http://127.0.0.1:8080/health), found a value of " + value.length() + " characters");
  }
}
