package org.vi4dvar.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.junit.jupiter.api.Test;

/**
 * conf/log4j2.properties as log4j itself reads it: the BlockManager's warning about a destroyed broadcast that
 * Spark's context cleaner removes a second time (seen on the talk's run, between two methods) is dropped, and
 * nothing else of that logger is.
 */
class LogConfigurationTest {

  @Test
  void theDoubleRemovalOfADestroyedBroadcastIsDroppedAndOtherBlockManagerWarningsAreNot() {
    LoggerContext ctx = Configurator.initialize("vi4dvar-log-test", null,
        Path.of("../conf/log4j2.properties").toUri());
    try {
      LoggerConfig c = ctx.getConfiguration().getLoggerConfig("org.apache.spark.storage.BlockManager");
      assertEquals("org.apache.spark.storage.BlockManager", c.getName(), "the file configures that logger");
      assertEquals(Level.WARN, c.getLevel());
      Filter f = c.getFilter();
      assertNotNull(f, "a filter on the logger");
      for (String dropped : new String[] {"Asked to remove block broadcast_3, which does not exist",
          "Asked to remove block broadcast_12_piece0, which does not exist"}) {
        assertEquals(Filter.Result.DENY, f.filter(null, Level.WARN, null, (Object) dropped, null), dropped);
      }
      for (String kept : new String[] {"Asked to remove block rdd_4_1, which does not exist",
          "Persisting block broadcast_3 to disk instead.", "Block broadcast_3 could not be removed"}) {
        assertEquals(Filter.Result.NEUTRAL, f.filter(null, Level.WARN, null, (Object) kept, null), kept);
      }
    } finally {
      Configurator.shutdown(ctx);
    }
  }
}
