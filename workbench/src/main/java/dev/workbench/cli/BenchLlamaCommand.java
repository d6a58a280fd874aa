package dev.workbench.cli;

import dev.workbench.finetune.LoraStepBenchmark;
import dev.workbench.model.hf.CheckpointRef;
import dev.workbench.model.io.Safetensors;
import dev.workbench.model.llama.LlamaConfig;
import dev.workbench.model.llama.RandomLlamaFolder;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code workbench bench llama}: memory and speed of LoRA fine-tuning a Llama-family model on this machine. Two
 * invocations, so that the measuring process's memory high-water mark is its own: {@code --write DIR} writes a folder
 * with random weights of a published shape (Qwen2.5-0.5B), then {@code --model hf:DIR} loads it (or any downloaded
 * folder) and runs LoRA steps. BENCHMARKS.md, "Llama-family memory", has the exact commands.
 */
@Command(name = "llama", mixinStandardHelpOptions = true,
        description = "Write random weights of a Llama-family shape (--write DIR), or load a Hugging Face folder and "
                + "measure load time, resident memory and LoRA training steps on random tokens (--model hf:DIR).")
public final class BenchLlamaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--write", paramLabel = "DIR", description = "write config.json and model.safetensors of "
            + "--shape with random weights into DIR (must not exist), then stop")
    Path write;

    @Option(names = "--shape", defaultValue = "qwen2.5-0.5b", description = "shape to write: qwen2.5-0.5b (hidden "
            + "896, 24 layers, 14 heads, 2 KV heads, vocabulary 151,936) or tiny (default ${DEFAULT-VALUE})")
    String shape;

    @Option(names = "--dtype", defaultValue = "BF16", description = "stored element type: BF16 (as published) or F32 "
            + "(default ${DEFAULT-VALUE})")
    Safetensors.DType dtype;

    @Option(names = "--model", paramLabel = "hf:DIR", description = "the folder to measure")
    String model;

    @Option(names = "--batch", defaultValue = "1", description = "sequences per step (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seq", defaultValue = "512", description = "tokens per sequence (default ${DEFAULT-VALUE})")
    int seq;

    @Option(names = "--steps", defaultValue = "3", description = "measured steps after one warm-up (default "
            + "${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--rank", defaultValue = "8", description = "LoRA rank; alpha is twice it (default "
            + "${DEFAULT-VALUE})")
    int rank;

    @Option(names = "--targets", defaultValue = "q,k,v,o,gate,up,down", split = ",",
            description = "LoRA targets (default ${DEFAULT-VALUE})")
    List<String> targets;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if ((write == null) == (model == null)) {
            throw WorkbenchException.invalid("give exactly one of --write DIR and --model hf:DIR");
        }
        if (write != null) {
            if (dtype == Safetensors.DType.F16) {
                throw WorkbenchException.invalid("--dtype F16 is not written; use BF16 or F32");
            }
            long start = System.nanoTime();
            LlamaConfig config = RandomLlamaFolder.write(shape, write, dtype, 1);
            out.printf(Locale.ROOT, "wrote %s: %s shape, %,d parameters as %s, in %.1f s%n", write, shape,
                    config.parameterCount(), dtype, (System.nanoTime() - start) / 1e9);
            out.flush();
            return 0;
        }
        if (!model.startsWith(CheckpointRef.HF_PREFIX)) {
            throw WorkbenchException.invalid("--model takes hf:DIR, got " + model);
        }
        Path folder = Path.of(model.substring(CheckpointRef.HF_PREFIX.length()));
        LoraStepBenchmark.Measurement m = LoraStepBenchmark.run(folder, batch, seq, steps,
                new Finetune.Lora(rank, 2.0 * rank, 0.0, targets), 1);
        out.printf(Locale.ROOT, "%s: %,d parameters (%.0f MiB as FP32), LoRA rank %d on %s: %,d trainable; batch %d x "
                        + "%d tokens, %d steps, threads %s%n"
                        + "  load %.1f s; RSS after load %.0f MiB (high-water mark %.0f MiB)%n"
                        + "  LoRA step (forward, backward, AdamW) %.0f ms wall, %.0f ms CPU: %.0f tokens/s; loss "
                        + "%.3f -> %.3f%n"
                        + "  peak RSS %.0f MiB%n",
                model, m.parameters(), m.weightBytes() / 1048576.0, rank, String.join(",", targets), m.trainable(),
                m.batchSize(), m.sequenceLength(), m.steps(),
                System.getProperty("ai.djl.pytorch.num_threads", "default"), m.loadSeconds(),
                m.rssAfterLoadBytes() / 1048576.0, m.rssPeakAfterLoadBytes() / 1048576.0, m.stepMs(), m.stepCpuMs(),
                m.tokensPerSecond(), m.firstLoss(), m.lastLoss(), m.rssPeakBytes() / 1048576.0);
        out.flush();
        return 0;
    }
}
