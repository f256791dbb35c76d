/**
 * Metrics in the host's own stack: Micrometer meters on its global registry when the application
 * has Micrometer, found and called by reflection so that qcfg.jar neither needs nor shades it.
 */
package io.qcfg.internal.metrics;
