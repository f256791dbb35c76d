package app;

/**
 * Reads one bound field, then loads {@link Marker}: in a class-load log, every class listed
 * before the marker was loaded before the first snapshot was published and bound.
 */
public final class AfterPublish {
  public static void main(String[] args) {
    System.out.println("value=" + Constants.hot);
    Marker.touch();
  }

  static final class Marker {
    static void touch() {}
  }
}
