/**
 * The configuration: HOCON (Typesafe Config) layered as built-in defaults ({@code vi4dvar-defaults.conf}, which
 * documents every key) &lt; {@code --config FILE} &lt; {@code --set key=value}, read by
 * {@link org.vi4dvar.driver.config.ConfigLoader} into records validated in their compact constructors, one per
 * section, gathered in {@link org.vi4dvar.driver.config.Vi4dvarSettings}.
 */
package org.vi4dvar.driver.config;
