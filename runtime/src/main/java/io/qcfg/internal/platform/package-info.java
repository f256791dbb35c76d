/**
 * The classes of qcfg that use JDK modules of the platform class loader: the status endpoint's
 * HTTP server ({@code jdk.httpserver}) and the etcd client's HTTP transport ({@code
 * java.net.http}). Made only through {@link io.qcfg.internal.PlatformLinked}, which defines them
 * apart when qcfg runs from the bootstrap class path; nothing else names them as types, and they
 * use only public members of the rest of qcfg.
 */
package io.qcfg.internal.platform;
