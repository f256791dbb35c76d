package app;

/**
 * Reads one bound field, then loads {@link Marker}: in a class-load log, every class listed
 * before the marker was loaded before the first snapshot was published and bound.
 */
public final class AfterPublish {
  public static void main(String[] args) {
    String value = Constants.hot;
    // At once: printing first (string concatenation's bootstrap, cold) could take longer than
    // qcfg's background work after a fast restart on a loaded machine (250 ms), whose classes
    // would then be listed before the marker.
    Marker.touch();
    System.out.println("value=" + value);
  }

  static final class Marker {
    static void touch() {}
  }
}
