package io.qcfg.cli;

import io.qcfg.QcfgException;
import io.qcfg.internal.QcfgOptions;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar qcfg.jar COMMAND}: the qcfg command line (DESIGN.md, "CLI").
 *
 * <p>Exit status: 0 ok, 1 invalid configuration or a failed operation, 2 usage error. Every verb is
 * its own picocli subcommand class in this package. The options {@code --dir}, {@code --env},
 * {@code --state}, {@code --key} and {@code --substitute} are the agent's, and may come before or
 * after the verb. Offline verbs build the configuration exactly as the agent does ({@link
 * OfflineConfig}); verbs with {@code --pid} talk to a running JVM's MBean through the attach API
 * ({@link Jvms}).
 */
@Command(
    name = "qcfg",
    mixinStandardHelpOptions = true,
    versionProvider = QcfgCli.Version.class,
    description = "Validate, inspect and steer qcfg configuration.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      ValidateCommand.class,
      PrintCommand.class,
      DiffCommand.class,
      StatusCommand.class,
      ReloadCommand.class,
      RollbackCommand.class,
      ReleaseQuarantineCommand.class,
      GetCommand.class,
      HistoryCommand.class,
      SetCommand.class,
      UnsetCommand.class,
      SwitchEnvCommand.class,
      AttachCommand.class,
      RenderCommand.class,
      KeygenCommand.class,
      EncryptCommand.class,
      DecryptCommand.class,
      MigrateCommand.class,
      AuditCommand.class,
      SignCommand.class,
      VerifySignatureCommand.class,
      PublishCommand.class,
      RolloutCommand.class,
      DoctorCommand.class,
      CommandLine.HelpCommand.class,
      picocli.AutoComplete.GenerateCompletion.class
    },
    footer = {
      "",
      "Exit status: 0 ok, 1 invalid configuration or failed operation, 2 usage error.",
      "Run 'qcfg help COMMAND' for the options of one command."
    })
public final class QcfgCli implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  @Spec CommandSpec spec;

  @Option(
      names = "--dir",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "Configuration directory (default: config, or QCFG_DIR).")
  String dir;

  @Option(
      names = "--env",
      scope = ScopeType.INHERIT,
      paramLabel = "ENV",
      description = "Environment (default: detected as the agent does: QCFG_ENV, CI, development).")
  String env;

  @Option(
      names = "--state",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description = "State directory with history and audit log (default: .qcfg/<dir name>-<hash of its real path>, or QCFG_STATE).")
  String state;

  @Option(
      names = "--key",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "File holding the key for ENC[...] values (default: QCFG_KEY).")
  String key;

  @Option(
      names = "--substitute",
      scope = ScopeType.INHERIT,
      paramLabel = "NAMES",
      description =
          "Environment variables that $${NAME} substitutions and templates' vars may use,"
              + " ':'-separated, or * (default: all in development and testing, none in staging and"
              + " production).")
  String substitute;

  @Option(
      names = {"--classpath", "-cp"},
      scope = ScopeType.INHERIT,
      paramLabel = "CP",
      description =
          "The application's class path (validate, print, diff, render): every reference.conf on"
              + " it is the defaults layer, as the agent reads it from the JVM.")
  String classpath;

  /** How verbs with {@code --pid} reach a JVM; replaced by tests. */
  final Jvms jvms;

  /** Where {@code encrypt -} and {@code decrypt -} read the value; replaced by tests. */
  final InputStream in;

  QcfgCli(Jvms jvms, InputStream in) {
    this.jvms = jvms;
    this.in = in;
  }

  /** Runs the CLI and exits the JVM with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI on {@code System.out} and {@code System.err}. */
  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  /**
   * Runs the CLI with the given streams: the entry point for tests and embedding.
   *
   * @return the exit status: 0 ok, 1 invalid or failed, 2 usage error
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, Jvms.ATTACH);
  }

  static int run(String[] args, PrintStream out, PrintStream err, Jvms jvms) {
    return run(args, System.in, out, err, jvms);
  }

  static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Jvms jvms) {
    CommandLine cmd = new CommandLine(new QcfgCli(jvms, in));
    VerbFlags.prune(cmd);
    cmd.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cmd.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    cmd.setExecutionExceptionHandler(QcfgCli::report);
    cmd.setParameterExceptionHandler(new QuietArguments(cmd.getParameterExceptionHandler()));
    try {
      return cmd.execute(args);
    } finally {
      cmd.getOut().flush();
      cmd.getErr().flush();
    }
  }

  /** Without a verb: the usage, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE;
  }

  /**
   * The agent's options from the flags, then {@code qcfg.*} system properties and {@code QCFG_*}
   * environment variables, as the agent resolves them.
   *
   * @throws QcfgException.BadOption for a bad value
   */
  QcfgOptions options() {
    Map<String, String> given = new LinkedHashMap<>();
    put(given, "dir", dir);
    put(given, "env", env);
    put(given, "state", state);
    put(given, "key", key);
    put(given, "substitute", substitute);
    return QcfgOptions.resolve(given, System.getProperties(), System.getenv());
  }

  /** The flags given on the command line, for {@code attach}: only those, not the defaults. */
  Map<String, String> givenFlags() {
    Map<String, String> given = new LinkedHashMap<>();
    put(given, "dir", dir);
    put(given, "env", env);
    put(given, "state", state);
    put(given, "key", key);
    put(given, "substitute", substitute);
    return given;
  }

  private static void put(Map<String, String> m, String k, String v) {
    if (v != null) {
      m.put(k, v);
    }
  }

  /** Prints a failure of a verb (never a stack trace: it may hold values) and maps its status. */
  private static int report(Exception e, CommandLine cmd, ParseResult parsed) {
    Throwable t = e;
    if (t instanceof UndeclaredThrowableException u && u.getCause() != null) {
      t = u.getCause();
    }
    // qcfg's own messages are scrubbed; anything else is reworded first (ForeignText).
    String message = io.qcfg.internal.crypto.ForeignText.scrub(t.getMessage());
    if (t instanceof CliFailure
        || t instanceof QcfgException
        || t instanceof SecurityException
        || t instanceof IllegalStateException
        || t instanceof IllegalArgumentException) {
      cmd.getErr().println(cmd.getCommandSpec().qualifiedName(" ") + ": " + message);
    } else {
      cmd.getErr()
          .println(
              cmd.getCommandSpec().qualifiedName(" ")
                  + ": failed: "
                  + t.getClass().getSimpleName()
                  + ": "
                  + io.qcfg.internal.crypto.ForeignText.describe(t)
                  + " [QCFG-5299]");
    }
    return exitCodeOf(t);
  }

  private static int exitCodeOf(Throwable t) {
    if (t instanceof CliFailure f) {
      return f.exitCode();
    }
    if (t instanceof QcfgException.BadOption) {
      return USAGE;
    }
    return FAILED;
  }

  /**
   * Verbs whose arguments may be a secret ({@code encrypt}, {@code decrypt}): a command line they
   * cannot parse is refused without echoing any argument, since picocli's messages quote them.
   */
  interface SecretArguments {
    /** The verb's synopsis, shown instead of the arguments picocli would quote. */
    String synopsis();
  }

  /** Usage errors as picocli reports them, except that secret arguments are never quoted. */
  private record QuietArguments(CommandLine.IParameterExceptionHandler usual)
      implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args)
        throws Exception {
      CommandLine failed = e.getCommandLine();
      if (!(failed.getCommand() instanceof SecretArguments verb)) {
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
          var message = UnknownArguments.message(u);
          if (message.isPresent()) {
            failed.getErr().println(message.get());
            return USAGE;
          }
        }
        return usual.handleParseException(e, args);
      }
      failed
          .getErr()
          .println(
              failed.getCommandSpec().qualifiedName(" ")
                  + ": cannot read the command line (arguments are not shown: one may be a"
                  + " secret); expected "
                  + verb.synopsis()
                  + " [QCFG-5231]");
      return USAGE;
    }
  }

  /** {@code qcfg --version}: the jar's Implementation-Version. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = QcfgCli.class.getPackage().getImplementationVersion();
      return new String[] {"qcfg " + (v == null ? "(development build)" : v)};
    }
  }
}
