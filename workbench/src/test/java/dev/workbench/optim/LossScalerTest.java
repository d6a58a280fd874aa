package dev.workbench.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.engine.Engine;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.ndarray.NDList;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GradScaler's rules: defaults, backoff on overflow, growth after the interval, exact unscaling, state round trip. */
class LossScalerTest {
    @Test
    void defaultsAreGradScalers() {
        assertEquals(new LossScaler.Settings(65536.0, 2.0, 0.5, 2000), LossScaler.Settings.torchDefaults());
        assertEquals(65536.0, new LossScaler(LossScaler.Settings.torchDefaults()).scale());
        assertThrows(WorkbenchException.class, () -> new LossScaler.Settings(1, 0.5, 0.5, 1));
    }

    @Test
    void backsOffOnOverflowAndGrowsAfterTheInterval() {
        LossScaler s = new LossScaler(LossScaler.Settings.torchDefaults());
        s.update(true);
        assertEquals(32768.0, s.scale());
        for (int i = 0; i < 1999; i++) {
            s.update(false);
        }
        assertEquals(32768.0, s.scale());
        assertEquals(1999, s.goodSteps());
        s.update(false);
        assertEquals(65536.0, s.scale());
        assertEquals(0, s.goodSteps());
        for (int i = 0; i < 10; i++) {
            s.update(false);
        }
        s.update(true); // an overflow also restarts the count
        assertEquals(32768.0, s.scale());
        assertEquals(0, s.goodSteps());
    }

    @Test
    void unscalingIsExactAndFindsAnInfiniteGradient() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(3);
            Linear linear = Linear.builder().setUnits(3).build();
            linear.initialize(m, DataType.FLOAT32, new Shape(2, 4));
            ModelParameters parameters = ModelParameters.ofBlock(linear);
            NDArray x = m.randomNormal(new Shape(2, 4));
            LossScaler scaler = new LossScaler(LossScaler.Settings.torchDefaults());
            float[] plain = gradient(parameters, linear, x, m, null);
            float[] scaled = gradient(parameters, linear, x, m, scaler);
            assertArrayEquals(plain, scaled, 0f, "scaling by 2^16 and back is exact");

            gradient(parameters, linear, x, m, scaler);
            NDArray g = parameters.all().values().iterator().next().getArray().getGradient();
            g.set(new NDIndex("0, 0"), Float.POSITIVE_INFINITY); // the forced overflow
            assertFalse(scaler.unscale(parameters));
        }
    }

    /** The weight gradient of sum(linear(x)) after a backward with (or without) loss scaling and unscaling. */
    private static float[] gradient(ModelParameters parameters, Linear linear, NDArray x, NDManager m,
                                    LossScaler scaler) {
        parameters.zeroGradients();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = linear.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow().sum();
            collector.backward(scaler == null ? loss : scaler.scaleLoss(loss));
        }
        if (scaler != null) {
            assertTrue(scaler.unscale(parameters));
        }
        return parameters.all().values().iterator().next().getArray().getGradient().toFloatArray();
    }

    @Test
    void stateRoundTripsExactlyAndADamagedFileIsRefusedWithItsLine(@TempDir Path dir) throws IOException {
        LossScaler a = new LossScaler(new LossScaler.Settings(3.0, 2.0, 0.5, 7));
        a.update(true);
        a.update(false);
        a.update(false);
        Path file = dir.resolve(LossScaler.STATE_FILE);
        a.save(file);
        LossScaler b = new LossScaler(new LossScaler.Settings(3.0, 2.0, 0.5, 7));
        b.load(file);
        assertEquals(a.scale(), b.scale());
        assertEquals(2, b.goodSteps());
        Files.writeString(file, "scale=1.5\ngood_steps=x\n");
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> b.load(file));
        assertTrue(e.getMessage().contains(file + ":2:1: cannot read 'good_steps=x'"), e.getMessage());
    }
}
