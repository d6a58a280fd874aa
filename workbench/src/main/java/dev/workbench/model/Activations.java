package dev.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Activations the families share that DJL does not have in the form they need. */
public final class Activations {
    private Activations() {
    }

    /**
     * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), written as x (h + h tanh(u)) with h = 0.5.
     *
     * <p>The constants are arrays owned by x's manager, not {@code mul(Number)}: DJL 0.36's PyTorch engine turns a
     * Number into a scalar array and closes it right after the op, but autograd keeps the scalar for the backward
     * pass and then reads freed memory (garbage gradients, sometimes NaN, depending on the GC). Arrays on x's manager
     * live until the step's manager closes, after the backward pass.
     */
    public static NDArray geluTanh(NDArray x) {
        NDManager manager = x.getManager();
        NDArray cubic = manager.create(0.044715f);
        NDArray scale = manager.create((float) Math.sqrt(2 / Math.PI));
        NDArray half = manager.create(0.5f);
        NDArray u = x.mul(x).mul(x).mul(cubic).add(x).mul(scale);
        return u.tanh().mul(half).add(half).mul(x);
    }
}
