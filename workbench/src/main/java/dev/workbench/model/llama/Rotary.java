package dev.workbench.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings as Llama applies them ("rotate half": dimension j is paired with j + headDim/2, not with
 * its neighbour): {@code x * cos + rotateHalf(x) * sin} with angle {@code position * inverseFrequency[j mod half]}.
 *
 * <p>The inverse frequencies are {@code 1 / theta^(2j / headDim)}, rounded to float as transformers computes them,
 * then rescaled by {@link LlamaConfig.RopeScaling}: {@code linear} divides them all by the factor; {@code llama3}
 * divides the low frequencies (wavelength above {@code original / low_freq_factor}), keeps the high ones (below
 * {@code original / high_freq_factor}) and blends linearly in between. Angles, cosines and sines are computed in double
 * in Java for the positions needed, then handed to the model as float tables.
 */
final class Rotary {
    private final int headDim;
    private final double[] inverseFrequencies;

    Rotary(LlamaConfig config) {
        this.headDim = config.headDim();
        this.inverseFrequencies = inverseFrequencies(config);
    }

    static double[] inverseFrequencies(LlamaConfig config) {
        int half = config.headDim() / 2;
        double[] inverse = new double[half];
        for (int j = 0; j < half; j++) {
            // transformers: 1.0 / (base ** (arange(0, dim, 2).float() / dim)) in float32
            float exponent = (float) (2 * j) / config.headDim();
            inverse[j] = (float) (1.0 / (float) Math.pow(config.ropeTheta(), exponent));
        }
        LlamaConfig.RopeScaling scaling = config.ropeScaling();
        if (scaling == null) {
            return inverse;
        }
        if (scaling.type().equals(LlamaConfig.RopeScaling.LINEAR)) {
            for (int j = 0; j < half; j++) {
                inverse[j] = (float) (inverse[j] / scaling.factor());
            }
            return inverse;
        }
        double original = scaling.originalMaxPositionEmbeddings();
        double lowFrequencyWavelength = original / scaling.lowFreqFactor();
        double highFrequencyWavelength = original / scaling.highFreqFactor();
        for (int j = 0; j < half; j++) {
            double wavelength = 2 * Math.PI / inverse[j];
            if (wavelength > lowFrequencyWavelength) {
                inverse[j] = inverse[j] / scaling.factor();
            } else if (wavelength >= highFrequencyWavelength) {
                double smooth = (original / wavelength - scaling.lowFreqFactor())
                        / (scaling.highFreqFactor() - scaling.lowFreqFactor());
                inverse[j] = (1 - smooth) * inverse[j] / scaling.factor() + smooth * inverse[j];
            }
            inverse[j] = (float) inverse[j];
        }
        return inverse;
    }

    /** {cos, sin}, each (1, 1, time, headDim), for positions {@code offset .. offset + time - 1}. */
    NDArray[] tables(NDManager manager, int offset, int time) {
        int half = headDim / 2;
        float[] cos = new float[time * headDim];
        float[] sin = new float[time * headDim];
        for (int t = 0; t < time; t++) {
            for (int j = 0; j < half; j++) {
                double angle = (double) (float) ((float) (offset + t) * (float) inverseFrequencies[j]);
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[t * headDim + j] = c;
                cos[t * headDim + j + half] = c;
                sin[t * headDim + j] = s;
                sin[t * headDim + j + half] = s;
            }
        }
        Shape shape = new Shape(1, 1, time, headDim);
        return new NDArray[] {manager.create(cos, shape), manager.create(sin, shape)};
    }

    /** x (B, H, T, headDim) rotated by the tables of its positions. */
    static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        long half = x.getShape().get(3) / 2;
        NDArray first = x.get(new NDIndex("..., :{}", half));
        NDArray second = x.get(new NDIndex("..., {}:", half));
        NDArray rotated = second.neg().concat(first, 3);
        return x.mul(cos).add(rotated.mul(sin));
    }
}
