package io.qcfg;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A health signal of the application that decides whether a configuration change on probation
 * (option {@code probation=DURATION}) stays applied. qcfg finds implementations with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/io.qcfg.HealthCheck}) on the application's
 * class path and calls {@link #healthy()} at the interval of the option {@code health-interval}
 * while a change is on probation.
 *
 * <p>An unhealthy answer (false, an exception of any kind, or no answer within {@code
 * health-timeout}) rolls the change back to the last confirmed version and quarantines its
 * checksum. Checks run on qcfg's own daemon threads ({@code qcfg-health-*}), one call of a check at
 * a time; a check that hangs is abandoned (it keeps counting as unhealthy until it returns) and
 * never holds the other checks or the thread that applies changes. A check may read {@link
 * Qcfg#current()} and may even call {@link Qcfg#reload()}.
 *
 * <p>Java cannot have an interface and an annotation of the same name, so methods are marked with
 * the nested annotation {@link Probe}: {@code @HealthCheck.Probe}.
 */
public interface HealthCheck {
  /**
   * Whether the application is healthy with the configuration now applied.
   *
   * @return true when healthy
   * @throws Exception anything: counts as unhealthy, and its message is logged (redacted)
   */
  boolean healthy() throws Exception;

  /** The name shown in logs and the audit log when this check trips; the class name by default. */
  default String name() {
    return getClass().getName();
  }

  /**
   * Marks a method as a health check: a static method of a class qcfg binds (one with a {@link
   * ConfigValue} field or an {@link OnConfigChange} method), or an instance method of such a class,
   * called on each live bound instance. The method takes no parameter and returns {@code boolean}
   * (false: unhealthy); throwing anything also counts as unhealthy. It is called like {@link
   * HealthCheck#healthy()}: at an interval while a change is on probation, time-boxed.
   */
  @Documented
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  @interface Probe {}
}
