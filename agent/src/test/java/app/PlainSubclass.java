package app;

/** A subclass without annotations: the Service constructor binds it. */
public class PlainSubclass extends Service {
  String extraState = "plain";
}
