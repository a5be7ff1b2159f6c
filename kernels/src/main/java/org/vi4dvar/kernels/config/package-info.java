/**
 * The one configuration vocabulary of vi4dvar: {@link org.vi4dvar.kernels.config.ExperimentSettings} and its
 * section records, each validated once in its compact constructor with a
 * {@link org.vi4dvar.kernels.config.ConfigError} that names the key; enum values are
 * {@link org.vi4dvar.kernels.config.ConfigChoice}s with their configuration names. The driver binds its HOCON
 * files onto these records; every key is documented in the driver's {@code vi4dvar-defaults.conf}.
 */
package org.vi4dvar.kernels.config;
