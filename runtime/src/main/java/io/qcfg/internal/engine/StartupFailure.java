package io.qcfg.internal.engine;

import io.qcfg.QcfgException;

/** What happens when the first snapshot cannot be built and history has nothing usable. */
public enum StartupFailure {
  /** Throw {@link QcfgException.Invalid} to the caller of {@link Engine#start} (the API). */
  THROW,
  /** {@code on-invalid-start=exit}: {@code System.exit(78)}, shutdown hooks run. */
  EXIT,
  /** {@code on-invalid-start=continue}: run on declared defaults, keep watching. */
  CONTINUE
}
