/**
 * The subcommands of {@code vi4dvar} (picocli): {@code run} and {@code twin}, their shared options, and the
 * shutdown hook that leaves no partial output behind.
 */
package org.vi4dvar.driver.cli;
