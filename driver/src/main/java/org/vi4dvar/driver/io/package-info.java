/**
 * Files: the dataset directory ({@link org.vi4dvar.driver.io.DatasetReader} validates everything a scientist's
 * own data can get wrong; {@link org.vi4dvar.driver.io.DatasetWriter} writes what the reader reads back
 * exactly), the all-or-nothing {@link org.vi4dvar.driver.io.OutputDirectory}, and the JSON of
 * {@code summary.json}.
 */
package org.vi4dvar.driver.io;
