package dev.workbench.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PyTorch's {@code torch.optim.Adam} (coupled L2 weight decay: {@code g += wd·w}), written out because DJL's Adam
 * keeps its moments private (no save) and its weight-decay semantics differ; here the state is plain named arrays.
 * Runs with autograd off (outside any gradient collector), updating the weights in place.
 */
final class AdamOptimizer {
    private final NetworkParameters parameters;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long steps;

    AdamOptimizer(NetworkParameters parameters, double learningRate, double beta1, double beta2, double epsilon,
                  double weightDecay) {
        this.parameters = parameters;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        for (Map.Entry<String, NDArray> entry : parameters.trainable().entrySet()) {
            NDArray weight = entry.getValue();
            firstMoments.put(entry.getKey(), parameters.manager().zeros(weight.getShape(), weight.getDataType()));
            secondMoments.put(entry.getKey(), parameters.manager().zeros(weight.getShape(), weight.getDataType()));
        }
    }

    long steps() {
        return steps;
    }

    void step() {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        double stepSize = learningRate / correction1;
        double sqrtCorrection2 = Math.sqrt(correction2);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Map.Entry<String, NDArray> entry : parameters.trainable().entrySet()) {
                NDArray weight = entry.getValue();
                NDArray gradient = weight.getGradient();
                if (weightDecay != 0) {
                    gradient = gradient.add(weight.mul(weightDecay));
                }
                NDArray m = firstMoments.get(entry.getKey());
                NDArray v = secondMoments.get(entry.getKey());
                m.muli(beta1).addi(gradient.mul(1 - beta1));
                v.muli(beta2).addi(gradient.square().mul(1 - beta2));
                NDArray denominator = v.sqrt().div(sqrtCorrection2).add(epsilon);
                weight.subi(m.div(denominator).mul(stepSize));
            }
        }
    }
}
