/**
 * The etcd layer: one configuration for a fleet of JVMs, kept in etcd and watched live.
 *
 * <h2>Where it sits</h2>
 *
 * With the options {@code etcd=http://host:2379[,http://host2:2379...]} and {@code
 * etcd-prefix=/qcfg/<app>/}, an {@code etcd} layer sits between {@code local} and {@code secrets}:
 * it overrides the files of the configuration directory and is overridden by secrets, runtime
 * overrides, system properties and environment variables.
 *
 * <h2>One key per layer file, holding HOCON text</h2>
 *
 * The layer reads two keys, each holding the UTF-8 text of one HOCON file, exactly as it would be
 * on disk: {@code <prefix>application.conf} (the fleet's base) and {@code
 * <prefix>environments/<env>.conf} (the fleet's environment file); the second wins over the first.
 * A missing key is an empty file. We chose whole files over one key per configuration path
 * because:
 *
 * <ul>
 *   <li>origins stay meaningful: a value comes from {@code etcd:<key>@<modRevision>:<line>}, a
 *       line of a text a human wrote and reviewed, not from an anonymous key;
 *   <li>comments, substitutions, includes-free structure and the order of a file survive;
 *   <li>a publish of a whole configuration is one etcd transaction over a handful of keys (etcd
 *       allows at most 128 operations per transaction by default), so a fleet never sees half of
 *       a change;
 *   <li>{@code qcfg validate} on the directory that was published validates exactly what the
 *       fleet will read.
 * </ul>
 *
 * Includes inside etcd texts cannot refer to anything (there is no directory): they must be
 * refused by whoever parses {@link io.qcfg.internal.etcd.EtcdFile#text()}. Template layers
 * ({@code *.conf.peb}) are not supported in etcd.
 *
 * <h2>Protocol</h2>
 *
 * etcd's v3 API through its JSON gateway ({@code POST /v3/kv/range}, {@code /v3/kv/txn}, {@code
 * /v3/watch}, {@code /v3/auth/authenticate}; keys and values base64 in JSON, 64-bit numbers as
 * strings) over the JDK's {@code java.net.http.HttpClient} with HTTP/1.1, parsed with Jackson's
 * tree model (no polymorphic typing). No jetcd, no gRPC, no Netty: {@code qcfg.jar} stays lean.
 * Tested against etcd 3.4 (Debian's {@code etcd-server}); 3.5 serves the same paths.
 *
 * <h2>Security</h2>
 *
 * <ul>
 *   <li>TLS: use {@code https://} endpoints; host names are always verified. A private CA is
 *       best given as a PEM file ({@code caFile} of {@link
 *       io.qcfg.internal.etcd.EtcdSource#connect(java.util.List, String, java.util.Optional,
 *       java.time.Duration, java.util.Optional)}), trusted by qcfg's client only. Without it the
 *       JDK's default trust applies, so a private CA then needs {@code
 *       -Djavax.net.ssl.trustStore=...} (and {@code trustStorePassword}) for the whole JVM; client
 *       certificates (mutual TLS) need {@code -Djavax.net.ssl.keyStore=...} and work only without
 *       {@code caFile}.
 *   <li>Authentication: a user and password ({@link io.qcfg.internal.etcd.EtcdCredentials}) are
 *       exchanged for a token at {@code /v3/auth/authenticate}; the token goes in the {@code
 *       Authorization} header and is renewed when etcd says it expired. Neither password nor token
 *       is ever logged, put in an exception message or rendered by {@code toString()}.
 * </ul>
 *
 * <h2>Entry points</h2>
 *
 * {@link io.qcfg.internal.etcd.EtcdSource} reads and watches; {@link
 * io.qcfg.internal.etcd.EtcdPublisher} writes a whole configuration atomically; {@link
 * io.qcfg.internal.etcd.EtcdOptions} parses the options. Message ids QCFG-4600..4699.
 */
package io.qcfg.internal.etcd;
