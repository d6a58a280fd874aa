package dev.workbench.cli;

import dev.workbench.model.hf.HfExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code workbench export --checkpoint X --format hf --out DIR [--lora merged|peft]}: a fine-tuned language model in
 * its family's Hugging Face layout (GPT-2, or Llama / Mistral / Qwen2 / Qwen3), or a fine-tuned BERT classifier as
 * {@code BertForSequenceClassification} (other classifiers are refused, saying why).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a language model checkpoint as a Hugging Face folder in its family's layout "
                + "(config.json, model.safetensors, the tokenizer files), written atomically, without workbench "
                + "markers; a BERT classifier checkpoint (cls pooling through the pooler) as "
                + "BertForSequenceClassification. LoRA adapters are merged into the weights, or (--lora peft, Llama family) written in "
                + "PEFT's layout to DIR/adapter next to the unchanged base weights.")
public final class ExportCommand implements Callable<Integer> {

    /** Output formats; Hugging Face folders so far. */
    enum Format { hf }

    @Spec
    CommandSpec spec;

    @Mixin
    CheckpointOption checkpoint;

    @Option(names = "--format", defaultValue = "hf", description = "output format: ${COMPLETION-CANDIDATES} "
            + "(default ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder to create; must not exist")
    Path out;

    /** How LoRA adapters are written. */
    enum LoraExport { merged, peft }

    @Option(names = "--lora", defaultValue = "merged", description = "LoRA adapters: ${COMPLETION-CANDIDATES}: "
            + "merged into the weights, or peft: adapter_config.json + adapter_model.safetensors in DIR/adapter, "
            + "the base weights unchanged in DIR (default ${DEFAULT-VALUE})")
    LoraExport lora;

    @Override
    public Integer call() throws IOException {
        HfExporter.Adapters adapters = lora == LoraExport.peft ? HfExporter.Adapters.PEFT
                : HfExporter.Adapters.MERGED;
        Path written = HfExporter.export(checkpoint.languageModelOrClassifier(), out, adapters);
        spec.commandLine().getOut().println("exported " + checkpoint.value + " to " + written + " (Hugging Face: "
                + "config.json, model.safetensors, tokenizer files"
                + (adapters == HfExporter.Adapters.PEFT ? "; PEFT adapter in " + written.resolve("adapter") : "")
                + ")");
        return 0;
    }
}
