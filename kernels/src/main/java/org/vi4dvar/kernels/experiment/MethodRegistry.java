package org.vi4dvar.kernels.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.vi4dvar.kernels.abc.AbcMethod;
import org.vi4dvar.kernels.ensemble.EnsembleMethod;
import org.vi4dvar.kernels.importance.ImportanceMethod;
import org.vi4dvar.kernels.map.MapMethod;
import org.vi4dvar.kernels.mcmc.McmcMethod;
import org.vi4dvar.kernels.vi.ViMethod;

/**
 * The estimators vi4dvar knows, in the order an experiment runs them (each may use what the ones before it
 * found: ABC's lowest-J trials are the starts of the others, MAP's minima start VI). Adding a method is one
 * kernel class implementing {@link Method} and one entry here.
 */
public final class MethodRegistry {

  private static final List<Method> METHODS = List.of(new AbcMethod(), new MapMethod(), new EnsembleMethod(),
      new ViMethod(), new McmcMethod(), new ImportanceMethod("map", 7), new ImportanceMethod("vi", 8));
  private static final List<String> NAMES;

  static {
    List<String> n = new ArrayList<>();
    for (Method m : METHODS) {
      n.add(m.name());
    }
    NAMES = Collections.unmodifiableList(n);
  }

  private MethodRegistry() {
  }

  /** The methods, in dependency order. */
  public static List<Method> methods() {
    return METHODS;
  }

  /** Their names, in dependency order. */
  public static List<String> names() {
    return NAMES;
  }

  /** The method named {@code name}, or null. */
  public static Method byName(String name) {
    for (Method m : METHODS) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    return null;
  }
}
