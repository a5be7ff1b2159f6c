/**
 * The vi4dvar Spark application: {@link org.vi4dvar.driver.App} parses the command line, the configuration
 * ({@code config}) and the dataset ({@code io}), starts Spark ({@code spark}) and runs the estimators of the
 * kernel as Spark tasks.
 */
package org.vi4dvar.driver;
