package org.vi4dvar.driver.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.vi4dvar.kernels.experiment.Shippable;
import org.vi4dvar.driver.config.DebugSettings;
import org.vi4dvar.driver.config.SparkSettings;
import org.vi4dvar.driver.config.Vi4dvarSettings;

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

  /** The driver's own records shipped inside broadcasts (Java serialization). */
  static final Class<?>[] RECORDS = {Vi4dvarSettings.class, SparkSettings.class, DebugSettings.class};

  /** The driver's own plain classes (Kryo's default serializers). */
  static final Class<?>[] PLAIN = {
      // vectors and matrices that cross into Spark (MLlib linear algebra)
      org.apache.spark.ml.linalg.DenseVector.class, org.apache.spark.ml.linalg.DenseMatrix.class};

  @Override
  public void registerClasses(Kryo kryo) {
    for (Class<?> c : Shippable.classes()) {
      kryo.register(c);
    }
    for (Class<?> c : PLAIN) {
      kryo.register(c);
    }
    JavaSerializer java = new JavaSerializer();
    for (Class<?> c : Shippable.records()) {
      kryo.register(c, java);
    }
    for (Class<?> c : RECORDS) {
      kryo.register(c, java);
    }
  }
}
