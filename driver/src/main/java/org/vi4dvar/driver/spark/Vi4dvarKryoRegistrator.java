package org.vi4dvar.driver.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.vi4dvar.driver.config.AbcDistance;
import org.vi4dvar.driver.config.AbcSettings;
import org.vi4dvar.driver.config.BackgroundSettings;
import org.vi4dvar.driver.config.DebugSettings;
import org.vi4dvar.driver.config.EnsembleSettings;
import org.vi4dvar.driver.config.HessianChoice;
import org.vi4dvar.driver.config.MapSettings;
import org.vi4dvar.driver.config.Method;
import org.vi4dvar.driver.config.MinimizerSettings;
import org.vi4dvar.driver.config.ModelSettings;
import org.vi4dvar.driver.config.NoiseRange;
import org.vi4dvar.driver.config.ObsSettings;
import org.vi4dvar.driver.config.OutputSettings;
import org.vi4dvar.driver.config.PosteriorSettings;
import org.vi4dvar.driver.config.SparkSettings;
import org.vi4dvar.driver.config.StartPoint;
import org.vi4dvar.driver.config.TwinSettings;
import org.vi4dvar.driver.config.Vi4dvarSettings;
import org.vi4dvar.driver.config.ViFamily;
import org.vi4dvar.driver.config.ViPosterior;
import org.vi4dvar.driver.config.ViSettings;
import org.vi4dvar.driver.config.WindowSettings;
import org.vi4dvar.kernels.model.LinearModel;
import org.vi4dvar.kernels.model.Lorenz96Spec;
import org.vi4dvar.kernels.obs.Nonlinearity;
import org.vi4dvar.kernels.obs.ObservationOperator;
import org.vi4dvar.kernels.var.FourDVarProblem;

/**
 * Registers every class that a broadcast or a task result carries, for Kryo with
 * {@code spark.kryo.registrationRequired=true} (an unregistered class then fails loudly instead of silently
 * writing its class name with every object).
 *
 * <p>Spark 4.2.0 ships Kryo <b>4.0.3</b> ({@code com.esotericsoftware:kryo-shaded}). Its {@code FieldSerializer}
 * handles plain classes with final fields (Spark's instantiator strategy needs no no-arg constructor) but
 * <b>not Java records</b>: it sets fields through reflection or {@code Unsafe}, which the JDK refuses for record
 * fields (record support came with Kryo 5.1). So: classes that tasks ship are plain final classes (the kernel's
 * {@link FourDVarProblem}, {@link Lorenz96Spec}, {@link ObservationOperator}, our {@link RunInputs}); records
 * (the settings) implement {@code Serializable} and are registered with Kryo's {@link JavaSerializer}, which
 * goes through the canonical constructor and so re-validates them. Arrays of primitives need registering too.
 */
public final class Vi4dvarKryoRegistrator implements KryoRegistrator {

  /** The records shipped inside broadcasts, each written by Java serialization. */
  static final Class<?>[] RECORDS = {Vi4dvarSettings.class, ModelSettings.class, WindowSettings.class,
      ObsSettings.class, NoiseRange.class, BackgroundSettings.class, TwinSettings.class, AbcSettings.class,
      EnsembleSettings.class, ViSettings.class, MapSettings.class, MinimizerSettings.class,
      PosteriorSettings.class, OutputSettings.class, SparkSettings.class, DebugSettings.class};

  /** Plain classes and arrays, each written by Kryo's default serializer for it. */
  static final Class<?>[] PLAIN = {RunInputs.class, FourDVarProblem.class, Lorenz96Spec.class, LinearModel.class,
      ObservationOperator.class, Nonlinearity.class, Method.class, AbcDistance.class, StartPoint.class,
      ViFamily.class, ViPosterior.class, HessianChoice.class, double[].class, double[][].class, int[].class,
      int[][].class, long[].class, boolean[].class, float[].class, Object[].class,
      // the kernel's task results and the configurations they carry
      org.vi4dvar.kernels.var.DiagonalTransform.class,  // FourDVarProblem.background()
      org.vi4dvar.kernels.abc.AbcConfig.class, org.vi4dvar.kernels.abc.AbcResult.class,
      org.vi4dvar.kernels.abc.AbcBound.class,
      org.vi4dvar.kernels.abc.AbcDistance.class, org.vi4dvar.kernels.ensemble.EnsembleConfig.class,
      org.vi4dvar.kernels.ensemble.EnsembleResult.class, org.vi4dvar.kernels.vi.ViConfig.class,
      org.vi4dvar.kernels.vi.ViResult.class, org.vi4dvar.kernels.vi.ViFamily.class,
      org.vi4dvar.kernels.map.LaplaceConfig.class, org.vi4dvar.kernels.map.LaplaceResult.class,
      org.vi4dvar.kernels.map.HessianMethod.class, org.vi4dvar.kernels.optim.OptimResult.class,
      org.vi4dvar.kernels.optim.StopReason.class, org.vi4dvar.kernels.optim.LbfgsConfig.class,
      org.vi4dvar.kernels.optim.AdamConfig.class, org.vi4dvar.kernels.stats.PosteriorSampler.class,
      org.vi4dvar.kernels.stats.PosteriorSampler.Form.class,
      // what the driver's tasks return
      org.vi4dvar.driver.tasks.TrajectoryChunk.class,
      // vectors and matrices that cross into Spark (MLlib linear algebra)
      org.apache.spark.ml.linalg.DenseVector.class, org.apache.spark.ml.linalg.DenseMatrix.class};

  @Override
  public void registerClasses(Kryo kryo) {
    for (Class<?> c : PLAIN) {
      kryo.register(c);
    }
    JavaSerializer java = new JavaSerializer();
    for (Class<?> c : RECORDS) {
      kryo.register(c, java);
    }
  }
}
