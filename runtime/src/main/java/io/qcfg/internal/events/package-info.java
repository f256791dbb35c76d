/**
 * JDK Flight Recorder events for configuration changes ({@code io.qcfg.ConfigApplied},
 * {@code io.qcfg.ConfigRejected}, {@code io.qcfg.ConfigRollback}), visible in {@code jfr print}
 * and JDK Mission Control. {@link io.qcfg.internal.events.ChangeEvents} is the only entry point;
 * it does nothing on a runtime image without the {@code jdk.jfr} module.
 */
package io.qcfg.internal.events;
