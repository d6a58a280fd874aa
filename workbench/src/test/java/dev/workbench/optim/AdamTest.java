package dev.workbench.optim;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdamTest {
    /*
     * Golden values from numpy (float64), PyTorch AdamW's formula:
     *   def adamw(w, grads, lr, b1=0.9, b2=0.999, eps=1e-8, wd=0.1, decay=True):
     *       w = np.array(w, dtype=np.float64); m = np.zeros_like(w); v = np.zeros_like(w)
     *       for t, g in enumerate(grads, 1):
     *           g = np.array(g, dtype=np.float64)
     *           if decay: w = w * (1 - lr * wd)
     *           m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g * g
     *           w = w - (lr / (1 - b1 ** t)) * m / (np.sqrt(v) / math.sqrt(1 - b2 ** t) + eps)
     *       return w, m, v
     *   gs = [[0.5, -1.0, 2.0], [0.1, 0.2, -0.3], [-1.0, 0.0, 4.0]]
     *   adamw([1, -2, 3], gs, 0.01)               -> w [0.98187515, -1.97497059, 2.96788603]
     *   adamw([1, -2, 3], gs, 0.01, decay=False)  -> w [0.98484413, -1.98093949, 2.97685152]
     *   m [-0.0505, -0.063, 0.535], v [0.00125949, 0.00103796, 0.02008191]
     */
    private static final float[][] GRADIENTS = {{0.5f, -1.0f, 2.0f}, {0.1f, 0.2f, -0.3f}, {-1.0f, 0.0f, 4.0f}};

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private ModelParameters parameter(String name, Shape shape) {
        NDArray array = manager.create(new float[] {1f, -2f, 3f}, shape);
        array.setRequiresGradient(true);
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optArray(array).build();
        Map<String, Parameter> map = new LinkedHashMap<>();
        map.put(name, p);
        return new ModelParameters(map);
    }

    /** Makes d(loss)/dw equal {@code gradient} exactly: loss = sum(w * gradient). */
    private static void backward(ModelParameters params, float[] gradient) {
        NDArray w = params.all().values().iterator().next().getArray();
        try (NDScope scope = new NDScope();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            collector.backward(w.mul(w.getManager().create(gradient, w.getShape())).sum());
        }
    }

    private static void train(Adam adam, ModelParameters params, int from, int to) {
        for (int i = from; i < to; i++) {
            backward(params, GRADIENTS[i]);
            adam.update(params, 0.01);
            params.zeroGradients();
        }
    }

    @Test
    void matchesTheNumpyFormulaWithDecayOnAMatrix() {
        ModelParameters params = parameter("blocks.0.mlp.up.weight", new Shape(1, 3));
        try (Adam adam = new Adam(Adam.Settings.adamW(0.1), Device.cpu())) {
            train(adam, params, 0, 3);
            assertArrayEquals(new float[] {0.98187515f, -1.97497059f, 2.96788603f},
                    params.all().get("blocks.0.mlp.up.weight").getArray().toFloatArray(), 2e-6f);
            float[][] moments = adam.moments("blocks.0.mlp.up.weight").orElseThrow();
            assertArrayEquals(new float[] {-0.0505f, -0.063f, 0.535f}, moments[0], 1e-6f);
            assertArrayEquals(new float[] {0.00125949f, 0.00103796f, 0.02008191f}, moments[1], 1e-7f);
            assertEquals(3, adam.step());
        }
    }

    @Test
    void vectorsAreNotDecayed() {
        ModelParameters params = parameter("blocks.0.norm1.gamma", new Shape(3));
        try (Adam adam = new Adam(Adam.Settings.adamW(0.1), Device.cpu())) {
            train(adam, params, 0, 3);
            assertArrayEquals(new float[] {0.98484413f, -1.98093949f, 2.97685152f},
                    params.all().get("blocks.0.norm1.gamma").getArray().toFloatArray(), 2e-6f);
        }
    }

    /*
     * torch.optim.Adam with weight_decay (coupled L2), as CTGAN and TVAE train, in float64 python:
     *   g = g + wd * w; m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g * g
     *   w = w - (lr / (1 - b1 ** t)) * m / (sqrt(v) / sqrt(1 - b2 ** t) + eps)
     * with CTGAN's betas (0.5, 0.9), lr 0.01, wd 0.1 on the gradients above -> w [0.98814107, -1.98089856, 2.97555288],
     * m [-0.32613023, -0.24900824, 2.43650805], v [0.11404128, 0.12058097, 2.27621416]
     */
    @Test
    void coupledDecayMatchesTorchAdamOnEveryParameterVectorsIncluded() {
        ModelParameters params = parameter("generator.seq.0.bn.bias", new Shape(3));
        try (Adam adam = new Adam(new Adam.Settings(0.5, 0.9, 1e-8, 0.1, Adam.WeightDecay.COUPLED), Device.cpu())) {
            train(adam, params, 0, 3);
            assertArrayEquals(new float[] {0.98814107f, -1.98089856f, 2.97555288f},
                    params.get("generator.seq.0.bn.bias").toFloatArray(), 2e-6f);
            float[][] moments = adam.moments("generator.seq.0.bn.bias").orElseThrow();
            assertArrayEquals(new float[] {-0.32613023f, -0.24900824f, 2.43650805f}, moments[0], 2e-6f);
            assertArrayEquals(new float[] {0.11404128f, 0.12058097f, 2.27621416f}, moments[1], 2e-6f);
        }
    }

    @Test
    void savedStateResumesBitForBit(@TempDir Path dir) throws Exception {
        ModelParameters straight = parameter("w", new Shape(1, 3));
        try (Adam adam = new Adam(Adam.Settings.adamW(0.1), Device.cpu())) {
            train(adam, straight, 0, 3);
        }
        ModelParameters resumed = parameter("w", new Shape(1, 3));
        Path file = dir.resolve(Adam.STATE_FILE);
        try (Adam first = new Adam(Adam.Settings.adamW(0.1), Device.cpu())) {
            train(first, resumed, 0, 2);
            first.save(file);
        }
        try (Adam second = new Adam(Adam.Settings.adamW(0.1), Device.cpu())) {
            second.load(file, resumed);
            assertEquals(2, second.step());
            train(second, resumed, 2, 3);
        }
        assertArrayEquals(straight.all().get("w").getArray().toFloatArray(),
                resumed.all().get("w").getArray().toFloatArray(), 0f);
    }

    @Test
    void refusesStateOfAnotherShape(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(Adam.STATE_FILE);
        try (Adam adam = new Adam(Adam.Settings.adamW(0.1), Device.cpu())) {
            ModelParameters params = parameter("w", new Shape(1, 3));
            train(adam, params, 0, 1);
            adam.save(file);
        }
        try (Adam adam = new Adam(Adam.Settings.adamW(0.1), Device.cpu())) {
            WorkbenchException e = assertThrows(WorkbenchException.class,
                    () -> adam.load(file, parameter("w", new Shape(3, 1))));
            assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
        }
    }

    @Test
    void updatesLeaveNoArraysBehind() {
        ModelParameters params = parameter("w", new Shape(1, 3));
        try (Adam adam = new Adam(Adam.Settings.adamW(0.1), Device.cpu())) {
            train(adam, params, 0, 1);
            int before = manager.getManagedArrays().size();
            train(adam, params, 1, 3);
            assertEquals(before, manager.getManagedArrays().size());
        }
    }
}
