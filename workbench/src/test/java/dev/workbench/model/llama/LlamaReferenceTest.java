package dev.workbench.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.workbench.model.Generator;
import dev.workbench.model.KvCache;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.SamplingConfig;
import dev.workbench.model.hf.HfImporter;
import dev.workbench.model.tokenizer.HfTokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each tiny Llama-family fixture (llama with llama3 rope scaling and biases, mistral with linear scaling and a
 * SentencePiece-style tokenizer, qwen2 with q/k/v biases in F32 shards, qwen3 with q/k norms) loaded from its Hugging
 * Face folder gives transformers' token ids, logits, log-probabilities and greedy tokens: logits within 1e-4 with a
 * full forward pass and through the KV cache one token at a time.
 */
class LlamaReferenceTest {
    static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @FieldSource("dev.workbench.model.llama.LlamaFixtures#MODELS")
    void tokenizerGivesTransformersIds(String name) {
        JsonNode expected = LlamaFixtures.expected(name);
        HfImporter.Imported imported;
        try (NDManager manager = NDManager.newBaseManager()) {
            imported = HfImporter.load(LlamaFixtures.folder(name), manager);
        }
        HfTokenizer tokenizer = assertInstanceOf(HfTokenizer.class, imported.tokenizer());
        JsonNode reference = expected.path("tokenizer");
        assertEquals(reference.path("eos_token_id").asInt(), tokenizer.endOfTextId());
        for (JsonNode text : reference.path("texts")) {
            String input = text.path("text").asText();
            assertArrayEquals(LlamaFixtures.ints(text.path("ids")), tokenizer.encodeWithSpecialTokens(input), input);
            assertArrayEquals(LlamaFixtures.ints(text.path("ids_plain")), tokenizer.encode(input), input);
            assertEquals(text.path("decoded_plain").asText(), tokenizer.decode(tokenizer.encode(input)), input);
        }
    }

    @ParameterizedTest
    @FieldSource("dev.workbench.model.llama.LlamaFixtures#MODELS")
    void logitsAndLogProbsEqualTransformers(String name) {
        JsonNode expected = LlamaFixtures.expected(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            LanguageModel model = HfImporter.loadModel(LlamaFixtures.folder(name), manager);
            assertEquals(expected.path("config_vocab_size").asInt(), model.architecture().vocabSize());
            int[] ids = LlamaFixtures.ints(expected.path("logits").path("ids"));
            NDArray input = manager.create(toLongs(ids)).reshape(1, ids.length);
            float[] logits = model.forward(new ParameterStore(manager, false), new NDList(input), false).head()
                    .toFloatArray();
            int vocab = model.architecture().vocabSize();
            double worst = maxDifference(expected.path("logits").path("values"), logits, vocab);
            assertTrue(worst < TOLERANCE, name + ": logits differ from transformers by " + worst);

            double[] logProbs = logProbs(logits, ids, vocab);
            JsonNode perToken = expected.path("log_probs").path("per_token");
            double worstLogProb = 0;
            for (int t = 0; t < logProbs.length; t++) {
                worstLogProb = Math.max(worstLogProb, Math.abs(logProbs[t] - perToken.get(t).asDouble()));
            }
            assertTrue(worstLogProb < TOLERANCE, name + ": log-probs differ by " + worstLogProb);
            System.out.printf("%s: max |logit diff| %.2e, max |log-prob diff| %.2e%n", name, worst, worstLogProb);
        }
    }

    @ParameterizedTest
    @FieldSource("dev.workbench.model.llama.LlamaFixtures#MODELS")
    void kvCacheGivesTheSameLogitsOneTokenAtATime(String name) {
        JsonNode expected = LlamaFixtures.expected(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            LanguageModel model = HfImporter.loadModel(LlamaFixtures.folder(name), manager);
            int[] ids = LlamaFixtures.ints(expected.path("logits").path("ids"));
            int vocab = model.architecture().vocabSize();
            JsonNode rows = expected.path("logits").path("values");
            double worst = 0;
            try (NDManager session = manager.newSubManager()) {
                KvCache cache = new KvCache(session, model.architecture().layers());
                ParameterStore store = new ParameterStore(session, false);
                // the first two tokens as a prompt (causal among themselves), then one token at a time
                int prompt = Math.min(2, ids.length);
                for (int t = prompt - 1; t < ids.length; t++) {
                    long[] fresh = t == prompt - 1 ? toLongs(java.util.Arrays.copyOf(ids, prompt))
                            : new long[] {ids[t]};
                    float[] logits = model.nextTokenLogits(store, session.create(fresh).reshape(1, fresh.length),
                            cache).toFloatArray();
                    for (int v = 0; v < vocab; v++) {
                        worst = Math.max(worst, Math.abs(logits[v] - rows.get(t).get(v).asDouble()));
                    }
                }
            }
            assertTrue(worst < TOLERANCE, name + ": cached logits differ from transformers by " + worst);
            System.out.printf("%s: max |cached logit diff| %.2e%n", name, worst);
        }
    }

    @ParameterizedTest
    @FieldSource("dev.workbench.model.llama.LlamaFixtures#MODELS")
    void greedyGenerationEqualsTransformersWithAndWithoutCache(String name) {
        JsonNode greedy = LlamaFixtures.expected(name).path("greedy");
        try (NDManager manager = NDManager.newBaseManager()) {
            HfImporter.Imported imported = HfImporter.load(LlamaFixtures.folder(name), manager);
            int[] prompt = LlamaFixtures.ints(greedy.path("prompt"));
            SamplingConfig sampling = new SamplingConfig(greedy.path("max_new_tokens").asInt(), 0, 0, 1.0, 1);
            int[] expectedTokens = LlamaFixtures.ints(greedy.path("new_tokens"));
            int eos = imported.tokenizer().endOfTextId();
            assertArrayEquals(expectedTokens, new Generator(imported.model(), true).generate(prompt, sampling, eos));
            assertArrayEquals(expectedTokens, new Generator(imported.model(), false).generate(prompt, sampling, eos));
        }
    }

    static double maxDifference(JsonNode rows, float[] logits, int vocab) {
        double worst = 0;
        for (int t = 0; t < rows.size(); t++) {
            for (int v = 0; v < vocab; v++) {
                worst = Math.max(worst, Math.abs(logits[t * vocab + v] - rows.get(t).get(v).asDouble()));
            }
        }
        return worst;
    }

    /** log p(ids[t+1] | ids[..t]) from (T, V) logits, in double. */
    static double[] logProbs(float[] logits, int[] ids, int vocab) {
        double[] out = new double[ids.length - 1];
        for (int t = 0; t < out.length; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[t * vocab + v]);
            }
            double sum = 0;
            for (int v = 0; v < vocab; v++) {
                sum += Math.exp(logits[t * vocab + v] - max);
            }
            out[t] = logits[t * vocab + ids[t + 1]] - max - Math.log(sum);
        }
        return out;
    }

    static long[] toLongs(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}
