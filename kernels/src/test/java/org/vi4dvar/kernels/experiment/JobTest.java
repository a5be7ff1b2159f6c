package org.vi4dvar.kernels.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** What a job's progress counts: items, not units × their size, when the last unit is short. */
class JobTest {

  @Test
  void theTrialsOfAnAbcSweepAreItsTrialsNotItsPaddedBlocks() {
    Job abc = new Job("abc", "abc: trials 0–1e5", "trials", 16384, 100, 1, 100_000);
    assertEquals(100_000, abc.itemsOf(7), "7 blocks of 16,384 hold the 10⁵ trials, not 114,688");
    assertEquals(3 * 16384, abc.itemsOf(3), "part of the job: whole blocks");
    Job members = Job.of("ensemble", "ensemble: 100 members", "members", 10);
    assertEquals(100, members.itemsOf(100));
    assertEquals(5 * 16384, new Job("s", "s", "trials", 16384, 1, 1).itemsOf(5), "no items given: units × size");
    assertThrows(IllegalArgumentException.class, () -> new Job("a", "a", "trials", 1, 1, 1, -1));
  }
}
