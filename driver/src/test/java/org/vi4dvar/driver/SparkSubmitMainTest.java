package org.vi4dvar.driver;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.SparkUserAppException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vi4dvar.driver.testing.TestData;

/**
 * {@link App#main} under spark-submit (the system property {@code spark.submit.deployMode} set, as spark-submit,
 * YARN's ApplicationMaster and the standalone DriverWrapper set it) never exits the JVM: it returns on success and
 * throws Spark's {@link SparkUserAppException} with vi4dvar's exit code otherwise (were it to call System.exit,
 * this test's JVM would die and the build would report the fork crashed).
 */
class SparkSubmitMainTest {

  @TempDir
  Path tmp;

  @AfterEach
  void clear() {
    System.clearProperty("spark.submit.deployMode");
  }

  @Test
  void detectsSparkSubmitByItsDeployModeProperty() {
    assertFalse(App.underSparkSubmit(), "not under spark-submit in a test");
    for (String mode : new String[] {"client", "cluster"}) {
      System.setProperty("spark.submit.deployMode", mode);
      assertTrue(App.underSparkSubmit(), mode);
    }
    System.setProperty("spark.submit.deployMode", " ");
    assertFalse(App.underSparkSubmit());
  }

  @Test
  void underSparkSubmitMainReturnsOnSuccessAndThrowsTheExitCodeOtherwise() {
    System.setProperty("spark.submit.deployMode", "cluster");
    assertDoesNotThrow(() -> App.main(new String[] {"--version"}));
    SparkUserAppException e = assertThrows(SparkUserAppException.class,
        () -> App.main(new String[] {"run", "--out", tmp.resolve("o").toString(), "--bogus"}));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    e = assertThrows(SparkUserAppException.class, () -> App.main(new String[] {"report",
        tmp.resolve("missing").toString()}));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertFalse(TestData.outputLeft(tmp.resolve("o")));
  }

  @Test
  void exitCodesMapToSparksUserAppException() throws Exception {
    App.exitUnderSparkSubmit(ExitCode.OK);
    for (int code : new int[] {ExitCode.FAILURE, ExitCode.BAD_INPUT, ExitCode.INTERRUPTED}) {
      SparkUserAppException e = assertThrows(SparkUserAppException.class, () -> App.exitUnderSparkSubmit(code));
      assertEquals(code, e.exitCode());
    }
  }
}
