package io.qcfg.internal.template;

import io.pebbletemplates.pebble.error.PebbleException;

/**
 * A refusal raised by qcfg's own sandbox code while Pebble is parsing or rendering (a loader
 * refusing a path, the output bound, a forbidden attribute, {@code secret()} without permission).
 * It travels through Pebble as a {@link PebbleException} so that Pebble's own frames unwind as they
 * would for any template error; {@link TemplateSandbox} turns it into a {@code Problem} with this
 * fault's {@link #id()}.
 */
final class TemplateFault extends PebbleException {
  private static final long serialVersionUID = 1L;

  private final String id;
  private final String reason;

  /** A fault with no template location of its own (the sandbox finds the nearest one). */
  TemplateFault(String id, String reason) {
    this(id, reason, null, null);
  }

  /** A fault at {@code templateName:line}; either may be null when unknown. */
  TemplateFault(String id, String reason, String templateName, Integer line) {
    super(null, reason, line, templateName);
    this.id = id;
    this.reason = reason;
  }

  String id() {
    return id;
  }

  String reason() {
    return reason;
  }
}
