package dev.workbench.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import dev.workbench.optim.ModelParameters;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Global-norm gradient clipping ({@code torch.nn.utils.clip_grad_norm_}): all gradients are treated as one vector;
 * when its L2 norm exceeds {@code maxNorm}, every gradient is scaled by {@code maxNorm / (norm + 1e-6)}. DJL's
 * {@code optClipGrad} clips each element separately, which changes the gradient's direction; this does not.
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /**
     * Clips in place and returns the norm BEFORE clipping (what nanoGPT and Hugging Face log). A non-finite norm is
     * returned as is and nothing is scaled: the caller skips such a step. {@code maxNorm <= 0} only measures.
     */
    public static double clipByGlobalNorm(Collection<Parameter> parameters, double maxNorm) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<NDArray> gradients = new ArrayList<>();
            for (Parameter p : parameters) {
                Optional<NDArray> g = ModelParameters.gradient(p);
                g.ifPresent(gradients::add);
            }
            return clipGradients(gradients, maxNorm);
        }
    }

    /** Same on bare arrays (the gradients themselves); scales them in place. */
    public static double clipGradients(List<NDArray> gradients, double maxNorm) {
        if (gradients.isEmpty()) {
            return 0.0;
        }
        double squares = 0.0;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray total = null;
            for (NDArray g : gradients) {
                NDArray s = g.square().sum();
                total = total == null ? s : total.add(s);
            }
            squares = total.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        }
        double norm = Math.sqrt(squares);
        if (!Double.isFinite(norm) || maxNorm <= 0) {
            return norm;
        }
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1.0) {
            for (NDArray g : gradients) {
                g.muli(coefficient);
            }
        }
        return norm;
    }
}
