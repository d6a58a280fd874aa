package dev.workbench.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.util.Map;

/** DJL's binding of the Hugging Face tokenizers library, the reference our ids must match. */
public final class HuggingFaceLibrary {

    /** No truncation to 512 and no padding: DJL's defaults would cut long inputs short. */
    static final Map<String, String> OPTIONS = Map.of("truncation", "false", "padding", "false");

    private HuggingFaceLibrary() {
    }

    /**
     * Opens {@code file} with DJL. If DJL's native tokenizers library cannot load here, the test is skipped with the
     * reason (and the compatibility claim is then unproven in this environment); a file the library rejects fails.
     */
    public static HuggingFaceTokenizer open(Path file) throws Exception {
        try {
            Class.forName("ai.djl.huggingface.tokenizers.jni.TokenizersLibrary", true,
                    HuggingFaceLibrary.class.getClassLoader());
            ai.djl.huggingface.tokenizers.jni.LibUtils.checkStatus();
        } catch (Throwable e) {
            Assumptions.abort("DJL's Hugging Face tokenizers native library did not load, so ids cannot be compared: "
                    + e);
        }
        return HuggingFaceTokenizer.newInstance(file, OPTIONS);
    }

    static int[] ids(HuggingFaceTokenizer hf, String text) {
        long[] ids = hf.encode(text).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }
}
