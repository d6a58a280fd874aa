package dev.workbench.synth;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.data.Permutation;
import dev.workbench.data.Table;
import dev.workbench.optim.Adam;
import dev.workbench.optim.ModelParameters;
import dev.workbench.recipe.SynthesisMethod;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.Metric;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongPredicate;

/**
 * TVAE (Xu et al., NeurIPS 2019; sdv-dev/CTGAN v0.12.1 {@code ctgan/synthesizers/tvae.py}) on DJL's PyTorch engine: a
 * variational autoencoder over CTGAN's mode-specific normalisation ({@link TableEncoder}). Encoder
 * {@code Linear-ReLU-Linear-ReLU} with two heads for mu and logvar; decoder {@code Linear-ReLU-Linear-ReLU-Linear}
 * and a learnable per-output {@code sigma} (init 0.1, clamped to [0.01, 1] after every step). Loss: Gaussian
 * negative log-likelihood of the alphas under tanh(output) with scale sigma, cross-entropy of every one-hot span,
 * both summed over the batch, divided by the batch and times the loss factor 2, plus the KL divergence per row. Adam
 * (PyTorch defaults, lr 1e-3) with coupled L2 weight decay 1e-5 over both networks. Sampling: z ~ N(0, I) through the
 * decoder, tanh on the alphas, plus N(0, sigma) noise on each alpha (the library's
 * {@code inverse_transform(data, sigmas)}), alphas clipped to [-1, 1], argmax of each one-hot span.
 *
 * <p>Every random number (weights, reparameterisation noise, shuffles, mode sampling, sampling noise) comes from
 * seeded {@link Random} streams, so the same seed gives the same generator and the same samples. TVAE has no
 * conditional vector: {@code --where} conditions are met by rejection ({@link ConditionalSampling}). The recipe sets
 * epochs, steps, batch_size and clip_to_range ({@link TvaeConfig}); the network sizes and optimiser are the library's
 * fixed defaults ({@link Architecture#DEFAULT}).
 */
public final class TvaeSynthesizer implements Synthesizer {
    public static final String NAME = SynthesisMethod.TVAE.recipeName();
    // The library's TVAESynthesizer defaults (v0.12.1), not recipe fields: l2scale, loss_factor, Adam's lr (torch
    // default 1e-3, betas 0.9/0.999, eps 1e-8), and the decoder sigma's initial value and clamp range.
    static final double LEARNING_RATE = 1e-3;
    static final double ADAM_BETA1 = 0.9;
    static final double ADAM_BETA2 = 0.999;
    static final double ADAM_EPSILON = 1e-8;
    static final double L2_SCALE = 1e-5;
    static final double LOSS_FACTOR = 2;
    static final double SIGMA_INIT = 0.1;
    static final double SIGMA_MIN = 0.01;
    static final double SIGMA_MAX = 1.0;

    /**
     * Network sizes. {@link #DEFAULT} is the library's (embedding 128, compress (128, 128), decompress (128, 128));
     * smaller ones exist for tests.
     */
    public record Architecture(@JsonProperty("embedding_dim") int embeddingDim,
                               @JsonProperty("compress_dims") List<Integer> compressDims,
                               @JsonProperty("decompress_dims") List<Integer> decompressDims) {
        public static final Architecture DEFAULT = new Architecture(128, List.of(128, 128), List.of(128, 128));

        public Architecture {
            if (embeddingDim <= 0 || compressDims.stream().anyMatch(d -> d <= 0)
                    || decompressDims.stream().anyMatch(d -> d <= 0)) {
                throw new IllegalArgumentException("tvae: layer widths must be positive");
            }
            compressDims = List.copyOf(compressDims);
            decompressDims = List.copyOf(decompressDims);
        }
    }

    /** One epoch of training: means over its finite steps. {@code loss = reconstruction + kld}. */
    public record EpochLoss(@JsonProperty("epoch") int epoch, @JsonProperty("steps") long steps,
                            @JsonProperty("reconstruction_loss") double reconstructionLoss,
                            @JsonProperty("kld") double kld,
                            @JsonProperty("loss") double loss,
                            @JsonProperty("seconds") double seconds) {
    }

    /** The two parts of the library's {@code _loss_function}: reconstruction (times the factor) and KLD, per row. */
    record Loss(NDArray reconstruction, NDArray kld) {
        NDArray total() {
            return reconstruction.add(kld);
        }
    }

    private final TvaeConfig config;
    private final Architecture architecture;
    private final DataType dataType = DataType.FLOAT32;
    // a step's losses, in StepTraining's arrays: {reconstruction, kld}
    private final StepTraining training = new StepTraining(NAME, "Check the table for extreme values.",
            losses -> String.format(Locale.ROOT, "reconstruction loss %s / KLD %s", losses[0], losses[1]),
            losses -> String.format(Locale.ROOT, "loss %.4f", losses[0] + losses[1]));
    private NDManager manager;
    private TableProfile profile;
    private TableEncoder encoder;
    private ModelParameters decoder;
    private int batchSize;
    private final List<EpochLoss> losses = new ArrayList<>();
    private int lastForcedRows;
    /** Test hook: training steps (1-based) whose loss is multiplied by NaN. */
    LongPredicate injectNonFinite = step -> false;

    /** The library's network sizes. */
    public TvaeSynthesizer(TvaeConfig config) {
        this(config, Architecture.DEFAULT);
    }

    public TvaeSynthesizer(TvaeConfig config, Architecture architecture) {
        this.config = config;
        this.architecture = architecture;
    }

    @Override
    public String name() {
        return NAME;
    }

    public Architecture architecture() {
        return architecture;
    }

    @Override
    public Optional<StepBudget> budget(int trainRows) {
        return Optional.of(config.budget(trainRows));
    }

    public List<EpochLoss> losses() {
        return List.copyOf(losses);
    }

    /** Optimiser steps (skipped ones included), skipped ones and timings of the last fit. */
    public TrainingFacts training() {
        return training.facts();
    }

    public int batchSize() {
        return batchSize;
    }

    /** Rows of the last {@link #sample} call whose conditioned cells had to be overwritten. */
    public int lastForcedRows() {
        return lastForcedRows;
    }

    @Override
    public FitReport fit(Table train, TableProfile tableProfile, long seed, FitOptions options) {
        long start = System.nanoTime();
        StepTraining.Start begin = StepTraining.start(train, tableProfile, seed);
        close();
        if (config.budget(train.rows().size()).totalSteps() < 1) {
            throw WorkbenchException.invalid("synthesize: tvae needs epochs or steps above 0");
        }
        this.profile = tableProfile;
        this.encoder = begin.encoder();
        TableEncoder.Encoded encoded = begin.encoded();
        int rows = encoded.rows();
        int width = encoder.width();
        StepBudget budget = config.budget(rows);
        this.batchSize = budget.batchSize();
        float[] target = oneHotTargets(encoded.data(), rows, width, encoder.spans());

        manager = NDManager.newBaseManager();
        ModelParameters encoderNet = newEncoder(manager, dataType, width, architecture, begin.init());
        decoder = newDecoder(manager, dataType, width, architecture, begin.init());
        Adam.Settings adam = new Adam.Settings(ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, L2_SCALE,
                Adam.WeightDecay.COUPLED);
        SpanMasks masks = SpanMasks.of(manager, encoder.spans(), width, dataType);
        try (Adam encoderAdam = new Adam(adam, manager.getDevice());
             Adam decoderAdam = new Adam(adam, manager.getDevice())) {
            losses.clear();
            training.run(start, budget, options, new StepTraining.Steps() {
                // every epoch visits the rows in a fresh order (the library's DataLoader, shuffle=True)
                private int[] order;

                @Override
                public void startEpoch() {
                    order = Permutation.of(rows, begin.train());
                }

                @Override
                public StepTraining.Step run(long step, int indexInEpoch) {
                    int from = indexInEpoch * batchSize;
                    return trainStep(step, encoderNet, encoderAdam, decoderAdam, encoded.data(), target, masks, order,
                            from, Math.min(batchSize, rows - from), width, begin.train());
                }
            }, epoch -> losses.add(new EpochLoss(epoch.epoch(), epoch.steps(), epoch.mean(0), epoch.mean(1),
                    (epoch.sums()[0] + epoch.sums()[1]) / epoch.finiteSteps(), epoch.seconds())));
        }
        TrainingFacts facts = training.facts();
        return new FitReport(List.of(new FitReport.Value(Metric.LOSS_FINAL, losses.get(losses.size() - 1).loss()),
                new FitReport.Value(Metric.TRAINING_STEPS, facts.steps()),
                new FitReport.Value(Metric.SKIPPED_STEPS, facts.skippedSteps())), Optional.empty());
    }

    /**
     * Step {@code stepNumber} (1-based): one Adam step on rows {@code order[from .. from+b)}; not finite when the loss
     * or a gradient was not (no update applied, gradients cleared).
     */
    private StepTraining.Step trainStep(long stepNumber, ModelParameters encoderNet, Adam encoderAdam,
                                        Adam decoderAdam, float[] data, float[] target, SpanMasks masks, int[] order,
                                        int from, int b, int width, Random random) {
        int embedding = architecture.embeddingDim();
        float[] x = new float[b * width];
        float[] t = new float[b * width];
        for (int r = 0; r < b; r++) {
            System.arraycopy(data, order[from + r] * width, x, r * width, width);
            System.arraycopy(target, order[from + r] * width, t, r * width, width);
        }
        float[] eps = new float[b * embedding];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) random.nextGaussian();
        }
        double reconstruction;
        double kld;
        try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray real = step.create(x, new Shape(b, width)).toType(dataType, false);
            NDArray targets = step.create(t, new Shape(b, width)).toType(dataType, false);
            NDArray noise = step.create(eps, new Shape(b, embedding)).toType(dataType, false);
            encoderNet.zeroGradients();
            decoder.zeroGradients();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray[] encoded = encode(encoderNet, real, architecture.compressDims().size());
                NDArray mu = encoded[0];
                NDArray logvar = encoded[1];
                // scalars as arrays, never mul(Number): DJL frees that scalar before backward (see Generator)
                NDArray std = logvar.mul(step.create(0.5f).toType(dataType, false)).exp();
                NDArray z = noise.mul(std).add(mu);
                NDArray recon = decode(decoder, z, architecture.decompressDims().size());
                Loss loss = loss(recon, real, targets, decoder.get("decoder.sigma"), mu, logvar, masks,
                        LOSS_FACTOR);
                NDArray total = loss.total();
                if (injectNonFinite.test(stepNumber)) {
                    total = total.mul(step.create(Float.NaN).toType(dataType, false));
                }
                collector.backward(total);
                reconstruction = loss.reconstruction().getFloat();
                kld = loss.kld().getFloat();
                if (injectNonFinite.test(stepNumber)) {
                    reconstruction = Double.NaN;
                }
            }
            boolean finite = Double.isFinite(reconstruction) && Double.isFinite(kld)
                    && encoderNet.gradientsFinite() && decoder.gradientsFinite();
            if (!finite) {
                encoderNet.zeroGradients(true);
                decoder.zeroGradients(true);
                return new StepTraining.Step(new double[] {reconstruction, kld}, false);
            }
            encoderAdam.update(encoderNet, LEARNING_RATE);
            decoderAdam.update(decoder, LEARNING_RATE);
            clampSigma();
        }
        return new StepTraining.Step(new double[] {reconstruction, kld}, true);
    }

    /** {@code decoder.sigma.data.clamp_(0.01, 1.0)}. */
    private void clampSigma() {
        NDArray sigma = decoder.get("decoder.sigma");
        float[] values = sigma.toType(DataType.FLOAT32, false).toFloatArray();
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.max(SIGMA_MIN, Math.min(SIGMA_MAX, values[i]));
        }
        dev.workbench.model.io.Weights.overwrite(sigma, values);
    }

    static ModelParameters newEncoder(NDManager manager, DataType dataType, int width, Architecture architecture,
                                      Random random) {
        NetworkBuilder net = new NetworkBuilder(manager, dataType);
        int in = width;
        List<Integer> dims = architecture.compressDims();
        for (int i = 0; i < dims.size(); i++) {
            // torch.nn.Sequential numbering: Linear at 2i, ReLU at 2i+1
            net.linear("encoder.seq." + (2 * i), in, dims.get(i), random);
            in = dims.get(i);
        }
        return net.linear("encoder.fc1", in, architecture.embeddingDim(), random)
                .linear("encoder.fc2", in, architecture.embeddingDim(), random).build();
    }

    static ModelParameters newDecoder(NDManager manager, DataType dataType, int width, Architecture architecture,
                                      Random random) {
        NetworkBuilder net = new NetworkBuilder(manager, dataType);
        int in = architecture.embeddingDim();
        List<Integer> dims = architecture.decompressDims();
        for (int i = 0; i < dims.size(); i++) {
            net.linear("decoder.seq." + (2 * i), in, dims.get(i), random);
            in = dims.get(i);
        }
        return net.linear("decoder.seq." + (2 * dims.size()), in, width, random)
                .constantVector("decoder.sigma", width, SIGMA_INIT).build();
    }

    /** {mu, logvar}. */
    static NDArray[] encode(ModelParameters net, NDArray input, int layers) {
        NDArray h = input;
        for (int i = 0; i < layers; i++) {
            String prefix = "encoder.seq." + (2 * i);
            h = Activation.relu(Linear.linear(h, net.get(prefix + ".weight"), net.get(prefix + ".bias"))
                    .singletonOrThrow());
        }
        NDArray mu = Linear.linear(h, net.get("encoder.fc1.weight"), net.get("encoder.fc1.bias")).singletonOrThrow();
        NDArray logvar = Linear.linear(h, net.get("encoder.fc2.weight"), net.get("encoder.fc2.bias"))
                .singletonOrThrow();
        return new NDArray[] {mu, logvar};
    }

    /** Raw decoder outputs (before tanh). */
    static NDArray decode(ModelParameters net, NDArray z, int layers) {
        NDArray h = z;
        for (int i = 0; i < layers; i++) {
            String prefix = "decoder.seq." + (2 * i);
            h = Activation.relu(Linear.linear(h, net.get(prefix + ".weight"), net.get(prefix + ".bias"))
                    .singletonOrThrow());
        }
        String prefix = "decoder.seq." + (2 * layers);
        return Linear.linear(h, net.get(prefix + ".weight"), net.get(prefix + ".bias")).singletonOrThrow();
    }

    /**
     * The library's {@code _loss_function}: per tanh span {@code sum((x - tanh(recon))^2 / 2 / sigma^2) +
     * log(sigma) * batch}, per softmax span the summed cross-entropy of its logits against the one-hot
     * {@code targets}; their sum times {@code factor} / batch; KLD {@code -0.5 * sum(1 + logvar - mu^2 - exp(logvar))
     * / batch}.
     */
    static Loss loss(NDArray recon, NDArray x, NDArray targets, NDArray sigma, NDArray mu, NDArray logvar,
                     SpanMasks masks, double factor) {
        NDManager m = recon.getManager();
        DataType type = recon.getDataType();
        long b = recon.getShape().get(0);
        NDArray two = m.create(2.0).toType(type, false);
        NDArray diff = x.sub(recon.tanh()).mul(masks.tanh());
        NDArray gaussian = diff.square().div(sigma.square().mul(two)).sum();
        NDArray logScale = sigma.log().mul(masks.tanh()).sum().mul(m.create((double) b).toType(type, false));
        // cross-entropy of every softmax span against its one-hot target: logsumexp(span) - logit(target)
        NDArray crossEntropy = summedLogSumExp(recon, masks).sub(recon.mul(targets).sum());
        NDArray sum = gaussian.add(logScale).add(crossEntropy);
        NDArray perRow = m.create(1.0 / b).toType(type, false);
        NDArray reconstruction = sum.mul(m.create(factor).toType(type, false)).mul(perRow);
        NDArray kld = logvar.add(m.create(1.0).toType(type, false)).sub(mu.square()).sub(logvar.exp()).sum()
                .mul(m.create(-0.5 / b).toType(type, false));
        return new Loss(reconstruction, kld);
    }

    /** 1 at the alpha (tanh) positions of an encoded row. */
    /**
     * The encoded row's spans as constant arrays for the loss: 1 at the tanh positions, 1 at the softmax positions,
     * and a width x (softmax spans) 0/1 membership matrix. With it every span's logsumexp comes out of one matrix
     * product; a chain of native ops per span made a TVAE step on Adult (21 softmax spans) 40% slower.
     */
    record SpanMasks(NDArray tanh, NDArray softmax, NDArray membership, List<TableEncoder.Span> softmaxSpans) {
        static SpanMasks of(NDManager manager, List<TableEncoder.Span> spans, int width, DataType type) {
            List<TableEncoder.Span> softmaxSpans = spans.stream()
                    .filter(span -> span.activation() == TableEncoder.Activation.SOFTMAX).toList();
            float[] tanh = tanhMask(spans, width);
            float[] softmax = new float[width];
            float[] membership = new float[width * softmaxSpans.size()];
            for (int j = 0; j < softmaxSpans.size(); j++) {
                TableEncoder.Span span = softmaxSpans.get(j);
                for (int i = span.start(); i < span.start() + span.width(); i++) {
                    softmax[i] = 1;
                    membership[i * softmaxSpans.size() + j] = 1;
                }
            }
            return new SpanMasks(manager.create(tanh).toType(type, false), manager.create(softmax).toType(type, false),
                    manager.create(membership, new Shape(width, softmaxSpans.size())).toType(type, false),
                    softmaxSpans);
        }
    }

    /**
     * The sum over rows and softmax spans of logsumexp(logits of the span). Fast path: exponentials below the row's
     * largest softmax logit, summed per span by the membership product. When a span's logits all sit so far below
     * that maximum that its sum underflows (about 69 below), the exact per-span form is used instead.
     */
    static NDArray summedLogSumExp(NDArray recon, SpanMasks masks) {
        NDManager m = recon.getManager();
        DataType type = recon.getDataType();
        if (masks.softmaxSpans().isEmpty()) {
            return m.create(0.0).toType(type, false);
        }
        // tanh positions pushed to -1e4 so that they neither set the maximum nor add to any sum
        NDArray logits = recon.mul(masks.softmax()).sub(masks.tanh().mul(m.create(1e4).toType(type, false)));
        NDArray max = logits.max(new int[] {1}, true).stopGradient();
        NDArray sums = logits.sub(max).exp().matMul(masks.membership());
        if (sums.min().toType(DataType.FLOAT64, false).getDouble() > 1e-30) {
            return sums.log().add(max).sum();
        }
        NDArray total = null;
        for (TableEncoder.Span span : masks.softmaxSpans()) {
            NDArray part = recon.get(new NDIndex(":, {}:{}", span.start(), span.start() + span.width()));
            NDArray spanMax = part.max(new int[] {1}, true).stopGradient();
            NDArray lse = part.sub(spanMax).exp().sum(new int[] {1}, true).log().add(spanMax).sum();
            total = total == null ? lse : total.add(lse);
        }
        return total;
    }

    static float[] tanhMask(List<TableEncoder.Span> spans, int width) {
        float[] mask = new float[width];
        for (TableEncoder.Span span : spans) {
            if (span.activation() == TableEncoder.Activation.TANH) {
                for (int i = 0; i < span.width(); i++) {
                    mask[span.start() + i] = 1;
                }
            }
        }
        return mask;
    }

    /** One-hot of the argmax of every softmax span ({@code torch.argmax(x[:, st:ed])}, first maximum on ties). */
    static float[] oneHotTargets(float[] data, int rows, int width, List<TableEncoder.Span> spans) {
        float[] target = new float[data.length];
        for (int r = 0; r < rows; r++) {
            for (TableEncoder.Span span : spans) {
                if (span.activation() != TableEncoder.Activation.SOFTMAX) {
                    continue;
                }
                int base = r * width + span.start();
                int best = 0;
                for (int i = 1; i < span.width(); i++) {
                    if (data[base + i] > data[base + best]) {
                        best = i;
                    }
                }
                target[base + best] = 1;
            }
        }
        return target;
    }

    @Override
    public Table sample(int n, Map<String, String> conditions, long seed) {
        if (decoder == null) {
            throw new IllegalStateException("tvae: fit or load before sampling");
        }
        Map<Integer, String> resolved = ConditionalSampling.resolve(profile, n, conditions);
        Random random = new Random(seed);
        ConditionalSampling.Result result = ConditionalSampling.collect(profile, n, resolved,
                () -> generateBatch(random), ConditionalSampling.maxBatches(n, batchSize));
        lastForcedRows = result.forcedRows();
        return result.table();
    }

    /** One batch of decoded rows: z ~ N(0, I), decoder, tanh on the alphas, plus N(0, sigma) noise on each alpha. */
    private Table generateBatch(Random random) {
        int b = batchSize;
        int width = encoder.width();
        int embedding = architecture.embeddingDim();
        float[] z = new float[b * embedding];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        float[] values;
        float[] sigma;
        try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray noise = step.create(z, new Shape(b, embedding)).toType(dataType, false);
            values = decode(decoder, noise, architecture.decompressDims().size()).toType(DataType.FLOAT32, false)
                    .toFloatArray();
            sigma = decoder.get("decoder.sigma").toType(DataType.FLOAT32, false).toFloatArray();
        }
        List<TableEncoder.Span> spans = encoder.spans();
        for (int r = 0; r < b; r++) {
            for (TableEncoder.Span span : spans) {
                if (span.activation() != TableEncoder.Activation.TANH) {
                    continue; // one-hot spans: TableEncoder.decode takes the argmax of the raw logits
                }
                for (int i = span.start(); i < span.start() + span.width(); i++) {
                    int at = r * width + i;
                    // the library's np.random.normal(tanh(x), sigma); decode clips the alpha to [-1, 1]
                    values[at] = (float) (Math.tanh(values[at]) + sigma[i] * random.nextGaussian());
                }
            }
        }
        return encoder.decode(values, b, config.clipToRange());
    }

    @Override
    public void save(Path folder) throws IOException {
        if (decoder == null) {
            throw new IllegalStateException("tvae: nothing to save before fit");
        }
        ObjectNode json = GeneratorCheckpoint.newConfig(NAME, profile, encoder);
        json.set("config", GeneratorCheckpoint.JSON.valueToTree(config));
        json.set("architecture", GeneratorCheckpoint.JSON.valueToTree(architecture));
        ObjectNode trained = json.putObject("training");
        TrainingFacts facts = training.facts();
        trained.put("batch_size", batchSize);
        trained.put("steps", facts.steps());
        trained.put("skipped_steps", facts.skippedSteps());
        trained.put("epochs", losses.size());
        trained.put("fit_seconds", facts.fitSeconds());
        // only the decoder samples: the encoder is not kept
        GeneratorCheckpoint.write(folder, json, decoder.toTensors());
    }

    /** Rebuilds a trained decoder from a checkpoint folder's contents. */
    static TvaeSynthesizer fromCheckpoint(GeneratorCheckpoint.Contents contents, Path folder) throws IOException {
        JsonNode json = contents.config();
        TvaeConfig config = GeneratorCheckpoint.JSON.treeToValue(json.get("config"), TvaeConfig.class);
        Architecture architecture = GeneratorCheckpoint.JSON.treeToValue(json.get("architecture"),
                Architecture.class);
        TvaeSynthesizer synthesizer = new TvaeSynthesizer(config, architecture);
        synthesizer.profile = GeneratorCheckpoint.profile(json);
        synthesizer.encoder = GeneratorCheckpoint.encoder(json, synthesizer.profile);
        synthesizer.batchSize = json.path("training").path("batch_size").asInt();
        JsonNode trained = json.path("training");
        synthesizer.training.restore(trained.path("steps").asLong(), trained.path("skipped_steps").asLong(),
                trained.path("fit_seconds").asDouble());
        if (synthesizer.batchSize < 1) {
            throw WorkbenchException.invalid(folder.resolve(GeneratorCheckpoint.CONFIG)
                    + ": training.batch_size must be at least 1");
        }
        synthesizer.manager = NDManager.newBaseManager();
        synthesizer.decoder = newDecoder(synthesizer.manager, synthesizer.dataType, synthesizer.encoder.width(),
                architecture, new Random(0));
        synthesizer.decoder.load(contents.weights(), folder.resolve(GeneratorCheckpoint.WEIGHTS).toString());
        return synthesizer;
    }

    /** Frees the native arrays. The synthesizer cannot sample afterwards. */
    @Override
    public void close() {
        if (manager != null) {
            manager.close();
            manager = null;
            decoder = null;
        }
    }
}
