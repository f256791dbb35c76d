package io.qcfg;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method to call after a new snapshot has been applied and every {@link ConfigValue}
 * field has been written. The method takes no parameter or a single {@link ConfigChange}.
 *
 * <p>It is called on the {@code qcfg-listeners} thread, in version order, never concurrently with
 * itself; it may change the configuration. An exception it throws is reported on stderr and does
 * not stop the other listeners; one that has not returned after 10 s is reported (QCFG-1403) and
 * left behind, and once it returns it is called once more with the newest change. Static methods are called once per
 * change; instance methods once per live bound instance.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnConfigChange {}
