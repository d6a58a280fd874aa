package dev.workbench.recipe;

import dev.workbench.recipe.NodeReader.Section;
import dev.workbench.recipe.Training.EarlyStopping;
import dev.workbench.recipe.Training.LrSchedule;
import dev.workbench.recipe.Training.Precision;
import org.yaml.snakeyaml.nodes.Node;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.workbench.recipe.Problem.quote;
import static dev.workbench.recipe.RecipeFields.valueName;

/** Binds {@code training}: devices, precision, batch, length, optimizer, schedule and checkpoints. */
final class TrainingBinder {
    private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu:(0|[1-9][0-9]{0,2})");

    private TrainingBinder() {
    }

    static Training bind(NodeReader read, Section s) {
        List<String> devices = read.stringList(s, "devices", List.of("auto"), null, true);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < devices.size(); i++) {
            String device = devices.get(i);
            Node at = s.item("devices", i, devices.size());
            if (!DEVICE.matcher(device).matches()) {
                read.problem(at, "training.devices", "unknown device " + quote(device),
                        Optional.of("allowed values: auto, cpu, gpu, gpu:N (N = 0, 1, ...)"));
            } else if (devices.size() > 1 && !device.startsWith("gpu:")) {
                read.problem(at, "training.devices", "several devices must all be gpu:N (data parallel), got "
                        + quote(device), Optional.empty());
            } else if (!seen.add(device)) {
                read.problem(at, "training.devices", "lists " + quote(device) + " twice", Optional.empty());
            }
        }
        Precision precision = read.enumValue(s, "precision", Precision.class, Precision.FP32);
        if (precision != Precision.FP32 && devices.equals(List.of("cpu"))) {
            read.problem(s.value("precision"), "training.precision",
                    valueName(precision) + " needs a GPU; on cpu use fp32",
                    Optional.of("DJL 0.36's PyTorch engine aborts the JVM on bf16 arrays on CPU"));
        }
        int batchSize = read.integer(s, "batch_size", 16, 1, 1 << 20);
        int accumulation = read.integer(s, "gradient_accumulation_steps", 1, 1, 1 << 16);
        Optional<Integer> epochs = read.optionalInteger(s, "epochs", 1, 1 << 20);
        Optional<Integer> maxSteps = read.optionalInteger(s, "max_steps", 1, Integer.MAX_VALUE);
        if (s.has("epochs") && s.has("max_steps")) {
            read.problem(s.keyNode("max_steps"), "training.max_steps", "epochs and max_steps exclude each other;"
                    + " set one", Optional.empty());
        }
        if (!s.has("epochs") && !s.has("max_steps")) {
            epochs = Optional.of(1);
            read.noteSource("training.epochs", "default");
        }
        double learningRate = read.number(s, "learning_rate", 3e-4, 0, false, 10, true);
        LrSchedule schedule = read.enumValue(s, "lr_schedule", LrSchedule.class, LrSchedule.COSINE);
        int warmup = read.integer(s, "warmup_steps", 0, 0, Integer.MAX_VALUE);
        if (maxSteps.isPresent() && warmup >= maxSteps.get()) {
            read.problem(s.value("warmup_steps"), "training.warmup_steps", "must be less than max_steps ("
                    + maxSteps.get() + "), got " + warmup, Optional.empty());
        }
        Optional<Double> warmupRatio = s.has("warmup_ratio")
                ? Optional.of(read.number(s, "warmup_ratio", 0, 0, true, 1, false)) : Optional.empty();
        if (s.has("warmup_ratio") && s.has("warmup_steps")) {
            read.problem(s.keyNode("warmup_ratio"), "training.warmup_ratio", "warmup_steps and warmup_ratio exclude"
                    + " each other; set one", Optional.empty());
        }
        double weightDecay = read.number(s, "weight_decay", 0.01, 0, true, 10, true);
        double maxGradNorm = read.number(s, "max_grad_norm", 1.0, 0, true, 1e6, true);
        // Not set: every 100 steps with a max_steps budget (as always), once per epoch with an epochs budget (the
        // finetune stage takes the steps per epoch from its plan).
        Optional<Integer> evalEvery = s.has("eval_every_steps") || maxSteps.isPresent()
                ? Optional.of(read.integer(s, "eval_every_steps", Training.DEFAULT_EVAL_EVERY_STEPS, 1,
                Integer.MAX_VALUE))
                : Optional.empty();
        Section stopping = read.section(s, "early_stopping");
        Optional<EarlyStopping> earlyStopping = Optional.empty();
        if (stopping.valid()) {
            earlyStopping = Optional.of(new EarlyStopping(read.integer(stopping, "patience", 3, 1, 1 << 20),
                    read.number(stopping, "min_delta", 0.0, 0, true, 1e6, true)));
        }
        int checkpointEvery = read.integer(s, "checkpoint_every_steps", 500, 1, Integer.MAX_VALUE);
        int keep = read.integer(s, "keep_checkpoints", 2, 1, 1000);
        int maxNonFinite = read.integer(s, "max_non_finite_steps", Training.DEFAULT_MAX_NON_FINITE_STEPS, 1, 1 << 20);
        int logEvery = read.integer(s, "log_every_steps", 10, 1, Integer.MAX_VALUE);
        return new Training(devices, precision, batchSize, accumulation, epochs, maxSteps, learningRate, schedule,
                warmup, warmupRatio, weightDecay, maxGradNorm, evalEvery, earlyStopping, checkpointEvery, keep,
                maxNonFinite, logEvery);
    }
}
