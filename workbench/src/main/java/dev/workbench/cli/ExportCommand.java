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

/** {@code workbench export --checkpoint X --format hf --out DIR}: a fine-tuned model in Hugging Face GPT-2 layout. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a language model checkpoint as a Hugging Face GPT-2 folder (config.json, "
                + "model.safetensors with LoRA merged, tokenizer.json), written atomically; the folder holds those "
                + "three files only (no workbench markers).")
public final class ExportCommand implements Callable<Integer> {

    /** Output formats; only Hugging Face GPT-2 so far. */
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

    @Override
    public Integer call() throws IOException {
        Path written = HfExporter.export(checkpoint.languageModel(), out);
        spec.commandLine().getOut().println("exported " + checkpoint.value + " to " + written
                + " (Hugging Face GPT-2: config.json, model.safetensors, tokenizer.json)");
        return 0;
    }
}
