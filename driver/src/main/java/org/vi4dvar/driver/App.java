package org.vi4dvar.driver;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.vi4dvar.driver.cli.Commands;
import org.vi4dvar.driver.cli.CommandContext;
import org.vi4dvar.driver.cli.Version;
import org.vi4dvar.driver.spark.SparkProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vi4dvar}: full-posterior strong-constraint 4D-Var on Spark. Subcommands {@code run} and
 * {@code twin}; see {@code --help}.
 *
 * <p>Exit codes ({@link ExitCode}): 0 success; 2 bad input (command line, configuration, dataset, output
 * directory), with one line {@code vi4dvar: error: <what>} on stderr and nothing written; 1 a failed run; 130
 * interrupted. {@link #execute} runs the command in-process and returns the exit code (tests).
 *
 * <p>Two entry points. {@link LocalMain} (what {@code submit/local.sh} runs) exits the JVM with the exit code.
 * {@link #main} is the main class for {@code spark-submit}: there it never calls {@code System.exit}, so that YARN
 * cluster deploy mode works (the driver runs inside YARN's ApplicationMaster, which takes any {@code System.exit}
 * of the user class, even with 0, for an early exit, marks the application FAILED and attempts it again). It
 * returns normally on success and throws Spark's {@code SparkUserAppException(code)} otherwise: spark-submit in
 * client mode exits with that code, and the ApplicationMaster finishes the application FAILED with it. Outside
 * spark-submit (no {@code spark.submit.deployMode} system property) {@link #main} exits like {@link LocalMain}.
 */
@Command(name = "vi4dvar", mixinStandardHelpOptions = true, versionProvider = Version.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "Full-posterior strong-constraint 4D-Var (MAP + Laplace, ABC, ensemble of 4D-Var, VI-4D-Var) "
        + "on Apache Spark.",
    commandListHeading = "%nCommands:%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:the command failed (one line says why, e.g. out of memory and the knob)",
        "2:bad input (command line, configuration, data, --out)", "130:interrupted (Ctrl-C)",
        "143:terminated (SIGTERM)"})
public final class App implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing command (expected one of "
        + String.join(", ", spec.subcommands().keySet()) + ")");
  }

  /**
   * The main class of {@code spark-submit}: runs the command line, then returns on success or throws
   * {@code SparkUserAppException} with the exit code; outside spark-submit, exits the JVM with the exit code.
   */
  public static void main(String[] args) throws org.apache.spark.SparkUserAppException {
    int code = execute(args, System.out, System.err, SparkProvider.NEW_CONTEXT, true);
    System.out.flush();
    System.err.flush();
    if (!underSparkSubmit()) {
      System.exit(code);
    }
    exitUnderSparkSubmit(code);
  }

  /**
   * Whether this JVM runs a spark-submit application: {@code spark.submit.deployMode} is a system property there,
   * in every deploy mode (spark-submit sets it in client mode, YARN's ApplicationMaster and the standalone
   * cluster's DriverWrapper from the submitted configuration in cluster mode), and nowhere else that vi4dvar starts
   * ({@link LocalMain} does not look).
   */
  static boolean underSparkSubmit() {
    String mode = System.getProperty("spark.submit.deployMode");
    return mode != null && !mode.isBlank();
  }

  /**
   * How a spark-submit application ends with {@code code}: returns for {@link ExitCode#OK}, else throws
   * {@link org.apache.spark.SparkUserAppException} (Spark's own way for a user class to name its exit code).
   */
  static void exitUnderSparkSubmit(int code) throws org.apache.spark.SparkUserAppException {
    if (code != ExitCode.OK) {
      throw new org.apache.spark.SparkUserAppException(code, null);
    }
  }

  /**
   * Runs the command line in this JVM.
   *
   * @param args the arguments
   * @param out where results and help go
   * @param err where progress lines and errors go
   * @param spark how commands get their Spark context
   * @return the exit code ({@link ExitCode})
   */
  public static int execute(String[] args, PrintStream out, PrintStream err, SparkProvider spark) {
    return execute(args, out, err, spark, false);
  }

  /**
   * As {@link #execute(String[], PrintStream, PrintStream, SparkProvider)}; {@code ownJvm} says whether the command
   * owns the JVM ({@code main}), and so may point JVM-wide settings ({@code java.io.tmpdir}) at its scratch
   * directory.
   */
  public static int execute(String[] args, PrintStream out, PrintStream err, SparkProvider spark, boolean ownJvm) {
    CommandContext ctx = new CommandContext(out, err, spark, org.vi4dvar.driver.cli.Provenance.start(args), ownJvm);
    CommandLine cl = new CommandLine(new App());
    cl.setCommandName(program());
    for (Object sub : Commands.all(ctx)) {
      cl.addSubcommand(sub);
    }
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpWidth(100);
    cl.setParameterExceptionHandler(App::onParameterError);
    cl.setExecutionExceptionHandler((ex, line, parsed) -> onFailure(ex, line, err));
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      // an Error that picocli lets through (thrown by the command itself)
      err.println("vi4dvar: error: " + outOfMemory(e, "this JVM"));
      err.flush();
      return ExitCode.FAILURE;
    }
  }

  /** System property naming the command as the user types it ({@code submit/local.sh}), for messages and help. */
  public static final String PROGRAM_PROPERTY = "vi4dvar.program";

  /**
   * The command as the user types it: the system property {@value #PROGRAM_PROPERTY} (set by
   * {@code submit/local.sh}), else {@code spark.vi4dvar.program} (set by the spark-submit wrappers with
   * {@code --conf}), else {@code vi4dvar}.
   */
  static String program() {
    for (String k : new String[] {PROGRAM_PROPERTY, "spark." + PROGRAM_PROPERTY}) {
      String p = System.getProperty(k);
      if (p != null && !p.isBlank()) {
        return org.vi4dvar.driver.config.ConfigLoader.oneLine(p);
      }
    }
    return "vi4dvar";
  }

  private static int onParameterError(ParameterException ex, String[] args) {
    CommandLine line = ex.getCommandLine();
    String cmd = line.getCommandSpec().qualifiedName();
    String msg = ex.getMessage() == null ? "invalid arguments" : firstLine(ex.getMessage());
    if (!msg.isEmpty()) {
      msg = Character.toLowerCase(msg.charAt(0)) + msg.substring(1);
    }
    if (ex instanceof CommandLine.UnmatchedArgumentException && line.getCommandSpec().parent() == null) {
      List<String> unmatched = ((CommandLine.UnmatchedArgumentException) ex).getUnmatched();
      if (!unmatched.isEmpty() && !unmatched.get(0).startsWith("-")) {
        msg = "unknown command '" + oneLine(unmatched.get(0)) + "' (expected one of "
            + String.join(", ", line.getSubcommands().keySet()) + ")";
      }
    } else if (ex instanceof CommandLine.UnmatchedArgumentException) {
      List<String> suggestions = ((CommandLine.UnmatchedArgumentException) ex).getSuggestions();
      if (!suggestions.isEmpty()) {
        msg += " (did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size())))
            + "?)";
      }
    }
    PrintWriter w = line.getErr();
    w.println("vi4dvar: error: " + msg + "; see '" + cmd + " --help'");
    w.flush();
    return ExitCode.BAD_INPUT;
  }

  private static int onFailure(Exception ex, CommandLine line, PrintStream err) {
    if (ex instanceof BadInputException) {
      err.println("vi4dvar: error: " + oneLine(ex.getMessage()));
      err.flush();
      return ExitCode.BAD_INPUT;
    }
    String oom = outOfMemoryIn(ex);
    if (oom != null) {
      // before the signal check: a JVM that ran out of memory is not "interrupted", whatever stopped after it
      err.println("vi4dvar: error: " + oom);
      err.flush();
      return ExitCode.FAILURE;
    }
    if (org.vi4dvar.driver.cli.ShutdownGuard.signalled()) {
      // Ctrl-C or SIGTERM: the guard has reported it; the failure is only its consequence (Spark stopped)
      return ExitCode.INTERRUPTED;
    }
    if (ex instanceof org.vi4dvar.driver.io.OutputConflictException) {
      err.println("vi4dvar: error: " + oneLine(ex.getMessage()));
      err.flush();
      return ExitCode.FAILURE;
    }
    if (ex instanceof org.vi4dvar.driver.run.RunFailure) {
      err.println("vi4dvar: error: " + oneLine(ex.getMessage()));
      err.flush();
      return ExitCode.FAILURE;
    }
    if (isInterrupt(ex)) {
      err.println("vi4dvar: interrupted");
      err.flush();
      return ExitCode.INTERRUPTED;
    }
    String what = line.getCommandSpec().name();
    err.println("vi4dvar: error: " + what + " failed: " + describe(ex)
        + (Commands.stacktrace(line) ? "" : " (--stacktrace shows where)"));
    if (Commands.stacktrace(line)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return ExitCode.FAILURE;
  }

  private static boolean isInterrupt(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof InterruptedException || c instanceof java.nio.channels.ClosedByInterruptException) {
        return true;
      }
    }
    return Thread.currentThread().isInterrupted();
  }

  /**
   * The one-line message for an out-of-memory failure anywhere in {@code ex}'s causes, or in the text of a Spark
   * task failure (a task's error reaches the driver as a message), or for an executor that exited with Spark's
   * out-of-memory code 52; null if it is not one.
   */
  static String outOfMemoryIn(Throwable ex) {
    for (Throwable c = ex; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof OutOfMemoryError) {
        return outOfMemory(c, "this JVM (the driver" + (c == ex ? "" : ", or a task of a local master") + ")");
      }
      String m = c.getMessage();
      if (m != null && m.contains("java.lang.OutOfMemoryError")) {
        boolean driver = m.contains("executor driver");
        String what = m.substring(m.indexOf("java.lang.OutOfMemoryError") + "java.lang.".length());
        int nl = what.indexOf('\n');
        return outOfMemoryText(nl < 0 ? what : what.substring(0, nl), driver ? "a task in this JVM (the driver "
            + "runs the tasks of a local master)" : "an executor", driver);
      }
      if (m != null && m.contains("exited with code 52")) {
        return outOfMemoryText("OutOfMemoryError", "an executor (it exited with Spark's out-of-memory code 52)",
            false);
      }
    }
    return null;
  }

  private static String outOfMemory(Throwable e, String where) {
    return outOfMemoryText("OutOfMemoryError" + (e.getMessage() == null ? "" : ": " + e.getMessage()), where,
        true);
  }

  private static String outOfMemoryText(String what, String where, boolean driver) {
    long max = Runtime.getRuntime().maxMemory();
    String heap = max == Long.MAX_VALUE ? "" : String.format(java.util.Locale.ROOT, " (this JVM's heap limit, "
        + "-Xmx, is %d MiB)", max >> 20);
    return "out of memory in " + where + ": " + oneLine(what) + heap + "; give it more memory with "
        + (driver ? "VI4DVAR_JAVA_OPTS=-Xmx8g (submit/local.sh) or --driver-memory 8g (spark-submit and the "
        + "submit/ scripts)"
        : "--executor-memory 8g (spark-submit)") + ", or ask for less (posterior.samples, abc.keep, model.nx, "
        + "window.states)";
  }

  private static final java.util.regex.Pattern STAGE_FAILURE = java.util.regex.Pattern.compile(
      "Job aborted due to stage failure: Task (\\S+) in stage (\\S+) failed (\\d+) times?, most recent failure: "
      + "Lost task [^)]*\\)(?: \\([^)]*\\))?: ([^\\n]*)");

  /**
   * {@code Class: message} of the exception and its innermost cause, on one line. A failed Spark job is told by
   * its root cause (the task's own exception, e.g. {@code IOException: No space left on device}) and where it
   * happened, not by Spark's wrapper text.
   */
  static String describe(Throwable ex) {
    // a task of a write job (threshold mode's Parquet table): Spark's wrapper names only the hidden sibling
    String writing = "";
    for (Throwable c = ex; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null && c.getMessage().startsWith("[TASK_WRITE_FAILED]")) {
        writing = " while writing the run's files";
      }
    }
    for (Throwable c = ex; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = c.getMessage();
      java.util.regex.Matcher sm = m == null ? null : STAGE_FAILURE.matcher(m);
      if (sm != null && sm.find()) {
        Throwable root = c;
        while (root.getCause() != null && root.getCause() != root) {
          root = root.getCause();
        }
        String cause = root != c ? root.getClass().getSimpleName() + ": " + firstLine(String.valueOf(
            root.getMessage())) : firstLine(sm.group(4));
        int attempts = Integer.parseInt(sm.group(3));
        return "a Spark task failed" + writing + ": " + cause + " (task " + sm.group(1) + " of stage "
            + sm.group(2) + ", " + attempts + " attempt" + (attempts == 1 ? "" : "s") + ")";
      }
    }
    Throwable root = ex;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (!writing.isEmpty()) {
      return "a Spark task failed" + writing + ": " + root.getClass().getSimpleName() + ": " + message(root);
    }
    String s = ex.getClass().getSimpleName() + ": " + message(ex);
    if (root != ex) {
      s += " (caused by " + root.getClass().getSimpleName() + ": " + message(root) + ")";
    }
    return s;
  }

  /**
   * The first line of a message; for a file-system exception whose message is only the path (permission
   * denied, no such file), with the reason.
   */
  private static String message(Throwable t) {
    String m = firstLine(String.valueOf(t.getMessage()));
    if (t instanceof java.nio.file.FileSystemException && ((java.nio.file.FileSystemException) t).getReason()
        == null) {
      m += " (" + org.vi4dvar.driver.io.OutputDirectory.reason(t) + ")";
    }
    return m;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return oneLine(nl >= 0 ? s.substring(0, nl) : s);
  }

  private static String oneLine(String s) {
    return org.vi4dvar.driver.config.ConfigLoader.oneLine(s);
  }
}
