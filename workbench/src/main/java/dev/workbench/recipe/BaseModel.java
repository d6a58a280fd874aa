package dev.workbench.recipe;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the model weights start from: exactly one of a named size {@code preset} (random initialisation, i.e.
 * pretraining), an earlier workbench {@code checkpoint} (run id or path), or a Hugging Face directory {@code hf}.
 * Architecture fields override the preset; with a checkpoint or hf base they come from the checkpoint instead.
 */
public record BaseModel(
        Optional<String> preset,
        Optional<String> checkpoint,
        Optional<Path> hf,
        TokenizerSpec tokenizer,
        int contextLength,
        int layers,
        int heads,
        int embeddingDim,
        double dropout) {

    /** Tokenizer: {@code byte} (no training), {@code bpe} (trained on the text corpus) or a {@code tokenizer.json}. */
    public record TokenizerSpec(TokenizerKind kind, int vocabSize, Optional<Path> path) {
    }

    public enum TokenizerKind { BYTE, BPE, FILE }
}
