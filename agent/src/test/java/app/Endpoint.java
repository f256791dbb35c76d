package app;

/** A record bound from a config object: swapped as one reference. */
public record Endpoint(String host, int port) {}
