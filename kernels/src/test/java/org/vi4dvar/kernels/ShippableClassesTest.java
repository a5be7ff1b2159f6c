package org.vi4dvar.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vi4dvar.kernels.abc.AbcBound;
import org.vi4dvar.kernels.abc.AbcConfig;
import org.vi4dvar.kernels.abc.AbcResult;
import org.vi4dvar.kernels.abc.AbcSampler;
import org.vi4dvar.kernels.ensemble.EnsembleConfig;
import org.vi4dvar.kernels.ensemble.EnsembleMember;
import org.vi4dvar.kernels.ensemble.EnsembleResult;
import org.vi4dvar.kernels.flow.AffineMap;
import org.vi4dvar.kernels.flow.CouplingFlow;
import org.vi4dvar.kernels.map.LaplaceConfig;
import org.vi4dvar.kernels.map.LaplaceResult;
import org.vi4dvar.kernels.map.MapLaplace;
import org.vi4dvar.kernels.optim.AdamConfig;
import org.vi4dvar.kernels.optim.LbfgsConfig;
import org.vi4dvar.kernels.optim.OptimResult;
import org.vi4dvar.kernels.stats.RunningStats;
import org.vi4dvar.kernels.testing.LinearGaussian;
import org.vi4dvar.kernels.vi.LearningRateSchedule;
import org.vi4dvar.kernels.vi.VariationalConfig;
import org.vi4dvar.kernels.vi.VariationalFamily;
import org.vi4dvar.kernels.vi.VariationalInference;
import org.vi4dvar.kernels.vi.VariationalResult;
import org.vi4dvar.kernels.vi.ViStart;

/**
 * The classes a Spark task returns or a broadcast carries must suit Kryo 4's FieldSerializer (the driver
 * registers them): final, not records (record fields cannot be set), fields of primitives, primitive arrays,
 * enums or other such classes; and Java-serialisable for closures.
 */
class ShippableClassesTest {

  /** What the driver should register with Kryo (plus double[], long[], int[] and the enums they use). */
  static final List<Class<?>> SHIPPED = List.of(OptimResult.class, LbfgsConfig.class, AdamConfig.class,
      LaplaceConfig.class, LaplaceResult.class, AbcConfig.class, AbcResult.class, AbcBound.class,
      EnsembleConfig.class,
      EnsembleResult.class, RunningStats.class, org.vi4dvar.kernels.mcmc.McmcConfig.class,
      org.vi4dvar.kernels.mcmc.Preconditioner.class, org.vi4dvar.kernels.mcmc.WarmupResult.class,
      org.vi4dvar.kernels.mcmc.ChainResult.class, org.vi4dvar.kernels.importance.PsisResult.class,
      org.vi4dvar.kernels.diagnostics.ConvergenceSummary.class, VariationalConfig.class,
      LearningRateSchedule.class, ViStart.class, AffineMap.class, CouplingFlow.class);

  @Test
  void shippedClassesAreKryoFriendly() {
    for (Class<?> c : SHIPPED) {
      assertFalse(c.isRecord(), c + " is a record");
      assertTrue(Modifier.isFinal(c.getModifiers()), c + " is not final");
      assertTrue(Serializable.class.isAssignableFrom(c), c + " is not Serializable");
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        Class<?> t = f.getType();
        Class<?> e = t;
        while (e.isArray()) {
          e = e.getComponentType();  // arrays of primitives, at any depth (double[][] is registered too)
        }
        boolean ok = t.isPrimitive() || (t.isArray() && e.isPrimitive()) || t.isEnum() || SHIPPED.contains(t);
        assertTrue(ok, c.getSimpleName() + "." + f.getName() + " has type " + t);
        assertFalse(Modifier.isTransient(f.getModifiers()), c.getSimpleName() + "." + f.getName());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T o) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void resultsSurviveJavaSerialisation() throws Exception {
    LinearGaussian lg = LinearGaussian.standard();
    LaplaceResult l = roundTrip(new MapLaplace(lg.problem, LaplaceConfig.defaults()).runFromBackground());
    assertTrue(l.positiveDefinite);
    assertEquals(6, l.covariance.length / 6);
    AbcResult a = new AbcSampler(lg.problem, AbcConfig.of(1, 1000, 5).withBlockSize(300)).runBlock(1);
    AbcResult a2 = roundTrip(a);
    assertTrue(Arrays.equals(a.topX, a2.topX) && Arrays.equals(a.histogram, a2.histogram));
    AbcResult.merge(a2, new AbcSampler(lg.problem, AbcConfig.of(1, 1000, 5).withBlockSize(300)).runBlock(0));
    EnsembleResult e = roundTrip(new EnsembleMember(lg.problem, EnsembleConfig.of(1)).run(3));
    assertEquals(3, e.index);
    // the new VI: its configuration, start and result (posterior, diagnostics) travel as Java-serialisable objects
    org.vi4dvar.kernels.testing.QuadraticTarget q = org.vi4dvar.kernels.testing.QuadraticTarget.standard();
    VariationalConfig vc = roundTrip(VariationalConfig.builder(1).family(VariationalFamily.FLOW).maxIterations(200)
        .window(50).flowWindow(50).finalSamples(50).build());
    VariationalResult vr = roundTrip(new VariationalInference(q, q.transform, vc).run(0,
        roundTrip(ViStart.isotropic(new double[q.n], 0.5))));
    double[] c1 = new double[q.n];
    vr.posterior.sampler().draw(1, c1);
    assertTrue(Double.isFinite(vr.posterior.sampler().logDensity(c1)));
  }
}
