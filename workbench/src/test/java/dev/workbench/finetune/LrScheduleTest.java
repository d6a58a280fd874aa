package dev.workbench.finetune;

import dev.workbench.recipe.Training;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LrScheduleTest {
    /*
     * numpy/math reference (peak 1e-3, warmup 2, 10 steps, floor 0.1 * peak):
     *   def lr(s, shape, p, W, N):
     *       if s < W: return p * (s + 1) / W
     *       f = 0.1 * p; q = min(1, max(0, (s - W) / max(1, N - 1 - W)))
     *       return {'cos': f + (p - f) * 0.5 * (1 + math.cos(math.pi * q)), 'lin': p - (p - f) * q, 'const': p}[shape]
     */
    private static final double[] COSINE = {0.0005, 0.001, 0.001, 0.000955435991, 0.000830570411, 0.00065013442,
        0.00044986558, 0.000269429589, 0.000144564009, 0.0001};
    private static final double[] LINEAR = {0.0005, 0.001, 0.001, 0.000871428571, 0.000742857143, 0.000614285714,
        0.000485714286, 0.000357142857, 0.000228571429, 0.0001};

    @Test
    void cosineWarmsUpThenDecaysToTenPercent() {
        LrSchedule schedule = new LrSchedule(Training.LrSchedule.COSINE, 1e-3, 2, 10);
        for (int s = 0; s < 10; s++) {
            assertEquals(COSINE[s], schedule.at(s), 1e-12, "step " + s);
        }
        assertEquals(1e-4, schedule.at(50), 1e-15, "after the end the floor holds");
    }

    @Test
    void linearAndConstant() {
        LrSchedule linear = new LrSchedule(Training.LrSchedule.LINEAR, 1e-3, 2, 10);
        LrSchedule constant = new LrSchedule(Training.LrSchedule.CONSTANT, 1e-3, 2, 10);
        for (int s = 0; s < 10; s++) {
            assertEquals(LINEAR[s], linear.at(s), 1e-12, "step " + s);
            assertEquals(s == 0 ? 0.0005 : 0.001, constant.at(s), 1e-15);
        }
    }

    @Test
    void noWarmupStartsAtThePeak() {
        assertEquals(3e-4, new LrSchedule(Training.LrSchedule.COSINE, 3e-4, 0, 100).at(0), 1e-18);
    }
}
