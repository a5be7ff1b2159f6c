package org.vi4dvar.driver.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.vi4dvar.driver.App;
import org.vi4dvar.driver.spark.SparkProvider;

/**
 * Runs {@link App} in-process and captures its exit code, stdout and stderr.
 *
 * @param code the exit code
 * @param out what it printed on stdout
 * @param err what it printed on stderr
 */
public record Cli(int code, String out, String err) {

  /** A provider that fails the test: for commands that must not reach Spark. */
  public static final SparkProvider NO_SPARK = conf -> {
    fail("Spark must not start");
    return null;
  };

  /** Runs {@code args} with {@code spark}. */
  public static Cli run(SparkProvider spark, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = App.execute(args, o, e, spark);
    }
    return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code args}, failing the test if Spark is asked for. */
  public static Cli run(String... args) {
    return run(NO_SPARK, args);
  }

  /** The lines of stderr. */
  public String[] errLines() {
    return err.isEmpty() ? new String[0] : err.split("\\R");
  }
}
