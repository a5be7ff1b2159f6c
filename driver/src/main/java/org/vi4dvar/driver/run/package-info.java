/** How a run ends when it fails ({@link org.vi4dvar.driver.run.RunFailure}: exit code 1). */
package org.vi4dvar.driver.run;
