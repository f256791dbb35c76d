package app;

/** An empty class that {@link ClassLoadsMain} loads again and again through fresh loaders. */
public final class Leaf {}
