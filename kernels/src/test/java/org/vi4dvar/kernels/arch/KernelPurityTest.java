package org.vi4dvar.kernels.arch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kernel is pure computation: no Spark or Scala (also banned by the enforcer), no I/O, no logging, no
 * console output ({@code java.io.Serializable} is not I/O: shipped classes need it). This scans the main sources,
 * so a violation fails the build with the file named.
 */
class KernelPurityTest {

  private static final Pattern FORBIDDEN = Pattern.compile(
      "import\\s+(org\\.apache\\.spark|scala\\.|java\\.io\\.(?!Serializable;)|java\\.nio\\.file|org\\.slf4j|org\\.apache\\.log4j"
          + "|org\\.apache\\.logging|java\\.util\\.logging)|System\\.(out|err)\\.");

  @Test
  void mainSourcesHaveNoSparkNoIoNoLogging() throws IOException {
    Path root = Path.of("src/main/java");
    List<String> offenders;
    try (Stream<Path> files = Files.walk(root)) {
      offenders = files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> {
            try {
              return FORBIDDEN.matcher(Files.readString(f)).find();
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          })
          .map(Path::toString).collect(Collectors.toList());
    }
    assertTrue(offenders.isEmpty(), "kernel sources with Spark/I/O/logging: " + offenders);
  }
}
