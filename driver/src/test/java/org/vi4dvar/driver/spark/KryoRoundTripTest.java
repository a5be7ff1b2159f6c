package org.vi4dvar.driver.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.vi4dvar.driver.config.ConfigLoader;
import org.vi4dvar.driver.config.Vi4dvarSettings;
import org.vi4dvar.driver.io.Dataset;
import org.vi4dvar.driver.io.DatasetReader;
import org.vi4dvar.driver.testing.TestData;
import org.vi4dvar.kernels.config.ExperimentSettings;
import org.vi4dvar.kernels.experiment.ExperimentInputs;
import org.vi4dvar.kernels.experiment.Shippable;
import org.vi4dvar.kernels.testing.Settings;
import org.vi4dvar.kernels.model.LinearModel;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.obs.ObservationOperator;
import org.vi4dvar.kernels.var.FourDVarCost;
import org.vi4dvar.kernels.var.FourDVarProblem;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The broadcast classes go through Spark's Kryo exactly as configured for a run
 * ({@code spark.kryo.registrationRequired=true}, {@link Vi4dvarKryoRegistrator}), without a SparkContext.
 */
class KryoRoundTripTest {

  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.AnyRef();

  private static SerializerInstance kryo() {
    return new KryoSerializer(SparkSetup.conf("local[1]")).newInstance();
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) {
    SerializerInstance k = kryo();
    ByteBuffer buf = k.serialize(value, (ClassTag<T>) ANY);
    return k.deserialize(buf, (ClassTag<T>) ANY);
  }

  @Test
  void experimentInputsOfTheTalkRoundTripExactly() {
    Vi4dvarSettings all = ConfigLoader.load(null, List.of("abc.threshold=2.5", "spark.master=local[2]"));
    assertEquals(all, roundTrip(all));
    ExperimentSettings s = all.experiment();
    Dataset d = DatasetReader.read(TestData.talkDir(), s);
    ExperimentInputs in = new ExperimentInputs(d.problem(), d.truth(), s);
    ExperimentInputs back = roundTrip(in);
    assertEquals(s, back.settings());
    assertArrayEquals(d.truth(), back.truth());
    FourDVarProblem p = back.problem();
    assertArrayEquals(d.problem().y(), p.y());
    assertArrayEquals(d.problem().obsStd(), p.obsStd());
    assertArrayEquals(d.problem().xb(), p.xb());
    assertArrayEquals(d.problem().bStd(), p.bStd());
    assertEquals(91, p.nObs());
    double[] x0 = back.truthX0();
    assertEquals(Double.doubleToLongBits(new FourDVarCost(d.problem()).cost(x0)),
        Double.doubleToLongBits(new FourDVarCost(p).cost(x0)), "the cost of the shipped problem is identical");
  }

  @Test
  void linearModelProblemWithoutTruthRoundTrips() {
    int nx = 4;
    double[] a = {0.9, 0.1, 0, 0, 0, 0.9, 0.1, 0, 0, 0, 0.9, 0.1, 0.1, 0, 0, 0.9};
    double nan = Double.NaN;
    FourDVarProblem p = new FourDVarProblem(new LinearModel(nx, a), new ObservationOperator(nx, 2,
        Nonlinearity.IDENTITY), 3, 2, new double[] {1, 2, 3, 4}, new double[] {1, 1, 1, 1},
        new double[] {0.5, nan, nan, 1.5}, new double[] {0.1, nan, nan, 0.2});
    Settings st = Settings.talk();
    st.model = new org.vi4dvar.kernels.config.ModelSettings(4, 8.0, 0.1);
    st.window = new org.vi4dvar.kernels.config.WindowSettings(3, 2);
    st.obs = new org.vi4dvar.kernels.config.ObsSettings(Nonlinearity.IDENTITY, 2, 0.5, 1,
        new org.vi4dvar.kernels.config.NoiseRange("obs.noise", 0.05, 0.1));
    st.output = new org.vi4dvar.kernels.config.OutputSettings(List.of(0, 2), 0, 5, false);
    ExperimentInputs back = roundTrip(new ExperimentInputs(p, null, st.build()));
    assertNull(back.truth());
    assertEquals(2, back.problem().nObs());
    assertArrayEquals(a, ((LinearModel) back.problem().model()).matrix());
    assertArrayEquals(p.y(), back.problem().y());
    assertEquals(new FourDVarCost(p).cost(p.xb()), new FourDVarCost(back.problem()).cost(p.xb()));
  }

  @Test
  void taskResultShapesAreRegistered() {
    Object[] rows = {new double[] {1.5, -2.0}, new double[] {Double.MIN_VALUE}};
    Object[] back = roundTrip(rows);
    assertArrayEquals((double[]) rows[0], (double[]) back[0]);
    assertArrayEquals(new int[] {1, 2}, roundTrip(new int[] {1, 2}));
    assertArrayEquals(new long[] {3L}, roundTrip(new long[] {3L}));
    assertArrayEquals(new boolean[] {true, false}, roundTrip(new boolean[] {true, false}));
    double[][] m = {{1, 2}, {3}};
    assertArrayEquals(m[1], roundTrip(m)[1]);
  }

  /**
   * Issue 13's shipped classes: the chain task (configuration, Laplace preconditioner, starts), the chains'
   * results, and the importance-corrected posterior (shared with the statistics tasks) come back exactly.
   */
  @Test
  void mcmcAndImportanceClassesRoundTripExactly() {
    org.vi4dvar.kernels.testing.LinearGaussian lg = org.vi4dvar.kernels.testing.LinearGaussian.standard();
    FourDVarProblem p = lg.problem;
    int n = p.controlDimension();
    double[] l = new double[n * n];
    for (int i = 0; i < n; i++) {
      l[i * n + i] = 1.5;
      if (i > 0) {
        l[i * n + i - 1] = 0.25;
      }
    }
    org.vi4dvar.kernels.mcmc.McmcConfig cfg = org.vi4dvar.kernels.mcmc.McmcConfig.defaults(3).withChains(2, 30, 20);
    org.vi4dvar.kernels.mcmc.Preconditioner pre = org.vi4dvar.kernels.mcmc.Preconditioner.precision(n, l);
    double[][] starts = {new double[n], new double[n]};
    org.vi4dvar.kernels.mcmc.McmcMethod.ChainTask task = roundTrip(
        new org.vi4dvar.kernels.mcmc.McmcMethod.ChainTask(cfg, pre, starts));
    assertNotNull(task);
    org.vi4dvar.kernels.mcmc.McmcSampler s = new org.vi4dvar.kernels.mcmc.McmcSampler(
        new org.vi4dvar.kernels.mcmc.WhitenedTarget(new org.vi4dvar.kernels.map.FourDVarObjective(
            new FourDVarCost(p)), p.control()), roundTrip(pre), roundTrip(cfg));
    java.util.ArrayList<org.vi4dvar.kernels.mcmc.ChainResult> chains = new java.util.ArrayList<>(List.of(
        s.run(0, starts[0]), s.run(1, starts[1])));
    java.util.ArrayList<org.vi4dvar.kernels.mcmc.ChainResult> back = roundTrip(chains);
    for (int c = 0; c < 2; c++) {
      assertArrayEquals(chains.get(c).draws, back.get(c).draws);
      assertEquals(chains.get(c).stepSize, back.get(c).stepSize);
      assertEquals(chains.get(c).sampler, back.get(c).sampler);
    }
    org.vi4dvar.kernels.posterior.GaussianPosterior q = org.vi4dvar.kernels.posterior.GaussianPosterior.prior(
        p.control(), 5, 1);
    double[] raw = org.vi4dvar.kernels.importance.ImportanceWeights.logWeights(q, new FourDVarCost(p)::cost, 0,
        200);
    org.vi4dvar.kernels.importance.ImportancePosterior ip = org.vi4dvar.kernels.importance.ImportancePosterior.of(
        q, raw);
    org.vi4dvar.kernels.importance.ImportancePosterior ib = roundTrip(ip);
    assertEquals(ip.paretoK(), ib.paretoK());
    assertEquals(ip.reliability(), ib.reliability());
    assertArrayEquals(ip.exactMoments().mean, ib.exactMoments().mean);
    assertEquals(org.vi4dvar.kernels.config.McmcSettings.defaults(),
        roundTrip(org.vi4dvar.kernels.config.McmcSettings.defaults()));
    assertEquals(org.vi4dvar.kernels.config.PsisSettings.defaults(),
        roundTrip(org.vi4dvar.kernels.config.PsisSettings.defaults()));
  }

  static final class NotRegistered {
    int x = 1;
  }

  @Test
  void anUnregisteredClassFailsLoudly() {
    Exception e = assertThrows(Exception.class, () -> roundTrip(new NotRegistered()));
    assertTrue(String.valueOf(e.getMessage()).contains("Class is not registered"), e.getMessage());
  }

  record SomeRecord(int a, double[] b) {
  }

  @Test
  void kryo4FieldSerializerCannotBuildRecordsSoTheyGoThroughJavaSerialization() {
    Kryo k = new KryoSerializer(SparkSetup.conf("local[1]")).newKryo();
    assertEquals("4.0.3", kryoVersion(), "Spark 4.2.0 ships Kryo 4.0.3 (kryo-shaded)");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.register(SomeRecord.class));
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    assertTrue(root.getMessage().contains("record"), root.toString());
    // the registrator registers our records with Kryo's JavaSerializer instead
    List<Class<?>> records = new java.util.ArrayList<>(Shippable.records());
    records.addAll(List.of(Vi4dvarKryoRegistrator.RECORDS));
    for (Class<?> c : records) {
      assertTrue(c.isRecord() || c == org.vi4dvar.kernels.posterior.Diagnostics.class, c.getName());
      assertTrue(java.io.Serializable.class.isAssignableFrom(c), c.getName());
      assertEquals(com.esotericsoftware.kryo.serializers.JavaSerializer.class,
          k.getRegistration(c).getSerializer().getClass(), c.getName());
    }
    List<Class<?>> plain = new java.util.ArrayList<>(Shippable.classes());
    plain.addAll(List.of(Vi4dvarKryoRegistrator.PLAIN));
    for (Class<?> c : plain) {
      assertNotNull(k.getRegistration(c), c.getName());
      assertTrue(!c.isRecord(), c.getName() + " must not be a record");
    }
  }

  private static String kryoVersion() {
    String path = Kryo.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("kryo-shaded-([0-9.]+)\\.jar").matcher(path);
    return m.find() ? m.group(1) : path;
  }
}
