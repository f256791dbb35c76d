package app;

public enum Mode {
  FAST,
  SAFE
}
