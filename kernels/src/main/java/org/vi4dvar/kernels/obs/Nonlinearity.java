package org.vi4dvar.kernels.obs;

import java.util.Locale;

/**
 * The pointwise nonlinearity {@code h} of the observation operator, with its derivative. {@code square} is the
 * talk's default ({@code y = x²}).
 */
public enum Nonlinearity implements org.vi4dvar.kernels.config.ConfigChoice {
  /** {@code h(p) = p}. */
  IDENTITY,
  /** {@code h(p) = p²}. */
  SQUARE,
  /** {@code h(p) = p³}. */
  CUBE,
  /** {@code h(p) = tanh p}. */
  TANH;

  /** {@code h(p)}. */
  public double value(double p) {
    switch (this) {
      case IDENTITY:
        return p;
      case SQUARE:
        return p * p;
      case CUBE:
        return p * p * p;
      case TANH:
        return Math.tanh(p);
      default:
        throw new AssertionError(this);
    }
  }

  /** {@code h'(p)}. */
  public double derivative(double p) {
    switch (this) {
      case IDENTITY:
        return 1.0;
      case SQUARE:
        return 2.0 * p;
      case CUBE:
        return 3.0 * p * p;
      case TANH: {
        double t = Math.tanh(p);
        return 1.0 - t * t;
      }
      default:
        throw new AssertionError(this);
    }
  }

  /** The configuration name, lower case ({@code identity}, {@code square}, {@code cube}, {@code tanh}). */
  @Override
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a configuration name (case-insensitive).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Nonlinearity parse(String name) {
    for (Nonlinearity h : values()) {
      if (h.configName().equalsIgnoreCase(name.trim())) {
        return h;
      }
    }
    throw new IllegalArgumentException("unknown nonlinearity '" + name
        + "' (expected one of identity, square, cube, tanh)");
  }
}
