package org.vi4dvar.driver.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code debug.*}: fault injection for testing recovery.
 *
 * @param failFirstAttempt every task throws on its first attempt ({@code debug.fail-first-attempt}); with a
 *     master that retries (e.g. {@code local[2,3]} or a cluster) the run must finish with the same results
 */
public record DebugSettings(boolean failFirstAttempt) implements Serializable {

  Map<String, Object> toTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fail-first-attempt", failFirstAttempt);
    return m;
  }
}
