package dev.workbench.model.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.model.Architecture;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.Lora;
import dev.workbench.model.LoraLinear;
import dev.workbench.model.Trunk;
import dev.workbench.model.io.Safetensors;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A model's LoRA adapters in PEFT's layout: {@code adapter_config.json} ({@code peft_type LORA}, {@code r},
 * {@code lora_alpha}, {@code target_modules}, ...) and {@code adapter_model.safetensors} with PEFT's names,
 * {@code base_model.model.<module>.lora_A.weight} (rank, in) and {@code .lora_B.weight} (out, rank). PEFT scales by
 * {@code lora_alpha / r}, as the workbench does, so {@code PeftModel} on the exported base computes what the adapted
 * workbench model does. The module of each projection comes from the family ({@code ModelFamily.hfModule}); a family
 * whose Hugging Face layout fuses projections (GPT-2's c_attn) cannot be exported this way.
 */
final class PeftAdapter {
    static final String FOLDER = "adapter";
    static final String CONFIG = "adapter_config.json";
    static final String WEIGHTS = "adapter_model.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Safetensors.Tensor> tensors;
    private final TreeSet<String> targetModules;
    private final int rank;
    private final double alpha;

    private PeftAdapter(Map<String, Safetensors.Tensor> tensors, TreeSet<String> targetModules, int rank,
                        double alpha) {
        this.tensors = tensors;
        this.targetModules = targetModules;
        this.rank = rank;
        this.alpha = alpha;
    }

    /**
     * The adapters of {@code model}.
     *
     * @throws WorkbenchException INVALID_INPUT when the model has none, or its family's layout has no module for one
     */
    static PeftAdapter of(LanguageModel model) {
        Architecture architecture = model.architecture();
        Map<String, ai.djl.nn.Parameter> named = model.namedParameters();
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        TreeSet<String> targets = new TreeSet<>();
        int rank = -1;
        double alpha = 0;
        for (int layer = 0; layer < architecture.layers(); layer++) {
            for (String role : architecture.projectionRoles()) {
                Trunk.Projection site = model.trunk().projection(layer, role);
                if (!(site.owner().get(role) instanceof LoraLinear lora)) {
                    continue;
                }
                String module = architecture.family().hfModule(architecture, layer, role).orElseThrow(() ->
                        WorkbenchException.invalid("the " + architecture.family().name() + " family's Hugging Face "
                                + "layout has no module of its own for projection '" + role + "', so its LoRA "
                                + "adapters cannot be written in PEFT's layout; export them merged"));
                if (rank >= 0 && (rank != lora.rank() || alpha != lora.scale() * lora.rank())) {
                    throw new IllegalStateException("adapters of different ranks or alphas in one model");
                }
                rank = lora.rank();
                alpha = lora.scale() * lora.rank();
                String prefix = Trunk.NAME + "." + site.path() + ".";
                tensors.put("base_model.model." + module + ".lora_A.weight",
                        Safetensors.Tensor.of(named.get(prefix + "lora_a").getArray()));
                tensors.put("base_model.model." + module + ".lora_B.weight",
                        Safetensors.Tensor.of(named.get(prefix + "lora_b").getArray()));
                targets.add(module.substring(module.lastIndexOf('.') + 1));
            }
        }
        if (tensors.isEmpty() || !Lora.hasAdapters(model)) {
            throw WorkbenchException.invalid("the model has no LoRA adapters to write in PEFT's layout; export it "
                    + "merged (a full or freeze fine-tune is a plain model)");
        }
        return new PeftAdapter(tensors, targets, rank, alpha);
    }

    void write(Path folder) throws IOException {
        ObjectNode config = JSON.createObjectNode();
        config.put("peft_type", "LORA");
        config.put("task_type", "CAUSAL_LM");
        config.put("r", rank);
        config.put("lora_alpha", alpha);
        config.put("lora_dropout", 0.0);
        ArrayNode modules = config.putArray("target_modules");
        targetModules.forEach(modules::add);
        config.put("bias", "none");
        config.put("fan_in_fan_out", false);
        config.put("use_rslora", false);
        config.put("use_dora", false);
        config.put("init_lora_weights", true);
        config.put("inference_mode", true);
        config.putNull("modules_to_save");
        config.put("base_model_name_or_path", "..");
        Files.writeString(folder.resolve(CONFIG), JSON.writeValueAsString(config) + "\n");
        Safetensors.write(folder.resolve(WEIGHTS), tensors, Safetensors.DType.F32, Map.of("format", "pt"));
    }
}
