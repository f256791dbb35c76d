package io.qcfg.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

@Name("io.qcfg.ConfigRejected")
@Label("Configuration Rejected")
@Category("qcfg")
@Description("A candidate configuration failed validation; the active version stays")
@StackTrace(false)
final class ConfigRejectedEvent extends jdk.jfr.Event {
  @Label("Kept Version") long keptVersion;

  @Label("Cause") String cause;

  @Label("Problems") int problemCount;

  @Label("Build Time") @Timespan(Timespan.NANOSECONDS)
  long buildTime;
}
