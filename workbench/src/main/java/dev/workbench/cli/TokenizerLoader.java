package dev.workbench.cli;

import dev.workbench.model.Tokenizer;
import dev.workbench.recipe.WorkbenchException;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * How commands read a checkpoint's {@code tokenizer.json}. The tokenizer implementations (byte, BPE) live on another
 * branch; the integrator replaces {@link #DEFAULT} with {@code Tokenizers::load} when both are merged, and nothing
 * else changes.
 */
final class TokenizerLoader {
    static final Function<Path, Tokenizer> DEFAULT = file -> {
        throw WorkbenchException.environment("cannot read " + file + ": this build has no tokenizer loader wired "
                + "into the CLI (cli.TokenizerLoader.DEFAULT)");
    };

    private TokenizerLoader() {
    }
}
