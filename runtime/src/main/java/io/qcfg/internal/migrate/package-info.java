/**
 * Config-format migrations: old configuration files keep working after the application changes the
 * layout of its configuration.
 *
 * <h2>Formats</h2>
 *
 * A configuration declares its format with {@code qcfg.format = N} (a whole number, at least 1); a
 * configuration without it is at format 1. The application declares the format it needs ({@code
 * qcfg.format-required} in its {@code reference.conf}, or the agent option {@code format}). A
 * configuration at an older format is migrated, step by step, on every load ({@link
 * io.qcfg.internal.migrate.MigrationPlan#migrate}); {@code qcfg migrate --dir D --to N} rewrites
 * the files once and for all ({@link io.qcfg.internal.migrate.MigrationPlan#rewrite}). A
 * configuration at a newer format than the application's is refused: {@code config format 4 is
 * newer than this application supports (3)} (QCFG-4510).
 *
 * <h2>Migration files</h2>
 *
 * {@code <config dir>/migrations/NNN-name.conf} takes a configuration from format {@code NNN} to
 * {@code NNN + 1}: {@code 001-split-db.conf} migrates 1 to 2. {@code NNN} is a decimal number,
 * conventionally three digits; {@code name} is letters, digits, {@code . _ -}. There is exactly one
 * file per source format, and none may be missing between the configuration's format and the
 * application's. Hidden files and files not ending in {@code .conf} are ignored. A file is HOCON
 * with these keys:
 *
 * <pre>
 * from = 1                    # optional; when given, must equal NNN
 * description = "split db"    # optional, free text
 * steps = [
 *   { rename = "db.url", to = "database.url" }
 *   { delete = "legacy.flag" }
 *   { default = "database.pool.size", value = 10 }
 *   { wrap-list = "http.hosts" }
 *   { convert = "http.timeout", from-unit = "ms", to-unit = "s" }
 *   { convert = "cache.max", from-unit = "B", to-unit = "MiB", as = "number" }
 * ]
 * </pre>
 *
 * Each step is an object with exactly one verb. Paths are HOCON path expressions ({@code a.b},
 * {@code a."dotted.key"}); a step may not name {@code qcfg} or {@code qcfg.format}, which qcfg
 * writes itself. Unknown keys are errors, and so are substitutions ({@code ${...}}; migration files
 * are self-contained). {@code include} is not followed. Steps run in the order written, each on the
 * result of the one before.
 *
 * <dl>
 *   <dt>{@code { rename = "a.b", to = "c.d" }}
 *   <dd>Moves the value at {@code a.b}, a leaf or a whole object, to {@code c.d}. The source is
 *       removed first, so {@code timeout -> timeout.connect} (a value into a new object) and {@code
 *       db.url -> db} work. Parent objects that the move leaves empty are removed too (a schema
 *       with {@code additionalProperties: false} would otherwise trip on {@code db {}}). <b>No
 *       value at {@code a.b}: the step does nothing</b> (the user may have migrated by hand). A
 *       value already at {@code c.d} (QCFG-4520), or a parent of {@code c.d} holding a non-object
 *       (QCFG-4521), is a problem: qcfg does not choose between two user values.
 *   <dt>{@code { delete = "a.b" }}
 *   <dd>Removes the value or subtree and the parents this leaves empty. No value: nothing to do.
 *   <dt>{@code { default = "a.b", value = V }}
 *   <dd>Sets {@code a.b} to {@code V} (any HOCON value) when it has no value; an explicit {@code
 *       null} counts as a value and is kept. The value's origin is its line in the migration file.
 *       A parent holding a non-object is a problem (QCFG-4521). In a rewrite only {@code
 *       application.conf} receives defaults: written into an environment file, a default would
 *       override the base layer's own value.
 *   <dt>{@code { wrap-list = "a.b" }}
 *   <dd>A value that is not a list ({@code x}, or an object) becomes the one-element list {@code
 *       [x]}; a list, {@code null} or no value is left alone. A substitution such as {@code
 *       ${other}} is a problem (QCFG-4524): whether it is a list is only known after resolution.
 *   <dt>{@code { convert = "a.b", from-unit = U1, to-unit = U2, as = "string" }}
 *   <dd>Converts a duration or a size. Units are, exactly: durations {@code ns us ms s m h d}
 *       ({@code m} is minutes), sizes {@code B kB MB GB TB PB EB} (powers of 1000) and {@code KiB
 *       MiB GiB TiB PiB EiB} (powers of 1024); both units must be of one kind. The value at the
 *       path may be:
 *       <ul>
 *         <li>a number, or a string holding only a number: counted in {@code from-unit};
 *         <li>a string with a unit ({@code "2 h"}, {@code "1500 millis"}, {@code "10K"}; every
 *             spelling Typesafe Config accepts for the kind): counted in that unit, so a value the
 *             user already migrated by hand converts to itself.
 *       </ul>
 *       The amount is converted exactly (decimal arithmetic) and written, with {@code as =
 *       "string"} (the default), as a string with {@code to-unit}: {@code 1500} ms to s gives
 *       {@code "1.5s"}, {@code "2 h"} gives {@code "7200s"}; with {@code as = "number"}, as a plain
 *       number counted in {@code to-unit}: {@code 1.5}. A string output reads back with {@code
 *       getDuration}/{@code getBytes}. An amount that needs endless decimals in {@code to-unit} (1
 *       ms in h) is a problem (QCFG-4523); so is a value of another type or unit kind (QCFG-4522)
 *       and a substitution (QCFG-4524). No value or {@code null}: nothing to do. Note that {@code
 *       as = "number"} is not idempotent on a plain number: keep such a step's path distinct from
 *       later steps' paths.
 * </dl>
 *
 * <h2>Origins</h2>
 *
 * In memory, values are moved, never re-created: a renamed leaf or subtree is the same {@code
 * ConfigValue} and keeps its origin (the user's file and line), a wrapped or converted value takes
 * the origin of the value it replaces, so {@code print --origins} and every error message still
 * point at the line the user wrote.
 *
 * <h2>Rewriting files</h2>
 *
 * {@code rewrite} migrates {@code application.conf}, {@code environments/*.conf} and {@code
 * local.conf}, each on its own: a file's format is its own {@code qcfg.format}, else {@code
 * application.conf}'s, else 1. It never touches {@code secrets/} (no secret may land in a diff or a
 * backup) nor Pebble templates ({@code *.peb}); they are listed as skipped with the reason, for the
 * user to migrate by hand. {@code include}d files are not followed. Files are edited through
 * Typesafe's {@code ConfigDocument}, so comments and untouched lines stay as written; a removed
 * setting takes the comments Typesafe attaches to it (the comment lines right above it, the rest of
 * its line) along, and a moved setting that lands at the end of the file carries them there. A new
 * path whose parents do not exist is appended as one {@code a.b = value} line. {@code qcfg.format}
 * is set to the target in files that had it and in {@code application.conf} (added as its first
 * setting), or in every file when there is no {@code application.conf}.
 *
 * <p>Each file is migrated in memory too, and the new text must parse to the same tree, or the file
 * is reported (QCFG-4532) and nothing is written. Nothing is written while any file has a problem.
 * Before writing, the originals are copied to {@code <config dir>/.qcfg-backup/<UTC
 * yyyyMMdd-HHmmss>/<same relative path>} (with {@code -2}, {@code -3}... if that exists); each file
 * is replaced atomically, {@code application.conf} last. The result carries a unified diff
 * (credential-named keys and {@code ENC[...]} values hidden). Rewriting again, or loading the
 * rewritten files, is a no-op.
 *
 * <h2>Message ids</h2>
 *
 * QCFG-4501 bad file name, 4502 two files for one format, 4503 syntax error or unreadable file,
 * 4504 {@code from} disagrees with the name, 4505 bad {@code steps} list or top-level key, 4506
 * unknown verb or two verbs, 4507 bad step field, 4509 unlistable directory, 4510 format newer than
 * the application's, 4511 missing migration file, 4512 malformed {@code qcfg.format}, 4520 rename
 * target taken, 4521 parent is not an object, 4522 value not convertible, 4523 conversion not
 * exact, 4524 substitution where the value is needed, 4525 unresolved merge on the path, 4530 layer
 * file syntax error, 4531 layer file I/O, 4532 rewrite not faithful.
 */
package io.qcfg.internal.migrate;
