package dev.workbench.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradientClippingTest {
    // By hand: ||[3, 4, 12]|| = sqrt(9 + 16 + 144) = 13; scale 1 / (13 + 1e-6) -> [0.23076921, 0.30769228], [0.92307685]

    @Test
    void scalesAllGradientsByOneGlobalFactor() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {3f, 4f});
            NDArray b = manager.create(new float[] {12f});
            double norm = GradientClipping.clipGradients(List.of(a, b), 1.0);
            assertEquals(13.0, norm, 1e-6);
            assertArrayEquals(new float[] {0.23076921f, 0.30769228f}, a.toFloatArray(), 1e-7f);
            assertArrayEquals(new float[] {0.92307685f}, b.toFloatArray(), 1e-7f);
        }
    }

    @Test
    void belowTheLimitNothingChanges() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {3f, 4f});
            assertEquals(5.0, GradientClipping.clipGradients(List.of(a), 10.0), 1e-9);
            assertArrayEquals(new float[] {3f, 4f}, a.toFloatArray(), 0f);
        }
    }

    @Test
    void nonFiniteNormIsReportedNotApplied() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {Float.NaN, 4f});
            assertTrue(Double.isNaN(GradientClipping.clipGradients(List.of(a), 1.0)));
            assertEquals(4f, a.toFloatArray()[1]);
        }
    }
}
