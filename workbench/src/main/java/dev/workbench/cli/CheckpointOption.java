package dev.workbench.cli;

import dev.workbench.finetune.Checkpoints;
import dev.workbench.model.hf.CheckpointRef;

import java.nio.file.Path;

/**
 * What {@code --checkpoint} names for a command that needs a language model ({@code generate}, {@code export}): a
 * workbench checkpoint folder, a {@code last} pointer file, a run folder (its {@code checkpoints/language_model/best})
 * or {@code hf:DIR}.
 */
final class CheckpointOption {
    private CheckpointOption() {
    }

    static CheckpointRef languageModel(String value) {
        return CheckpointRef.resolve(value.startsWith(CheckpointRef.HF_PREFIX) ? value
                : Checkpoints.resolveFolder(Path.of(value), "language_model").toString());
    }
}
