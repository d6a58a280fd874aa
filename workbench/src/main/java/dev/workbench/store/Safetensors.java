package dev.workbench.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small reader/writer of the safetensors format (8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data). Written here rather than through DJL's
 * {@code NDList.encode} because that one loses key order and {@code __metadata__} and kills the JVM on BF16 (see
 * notes/djl-tribuo.md); this one keeps insertion order, pads the header to 8 bytes like the Python writer, writes F32
 * and reads F32, F16 and BF16 (widened to F32) without touching native code.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "__metadata__";

    private Safetensors() {
    }

    /** A float tensor: row-major data and its shape. */
    public record Tensor(long[] shape, float[] data) {
        public Tensor {
            long count = 1;
            for (long d : shape) {
                count *= d;
            }
            if (count != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
                        + " values, data has " + data.length);
            }
        }
    }

    /** What a file holds: tensors in file order and the string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /** Writes {@code tensors} (in iteration order) as F32 with optional metadata. Not atomic by itself: callers
     * write into a staging folder. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            header.put(METADATA, metadata);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            long bytes = 4L * entry.getValue().data().length;
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", "F32");
            info.put("shape", entry.getValue().shape());
            info.put("data_offsets", new long[] {offset, offset + bytes});
            header.put(entry.getKey(), info);
            offset += bytes;
        }
        byte[] headerBytes = JSON.writeValueAsBytes(header);
        int padded = (headerBytes.length + 7) / 8 * 8;
        byte[] headerPadded = Arrays.copyOf(headerBytes, padded);
        Arrays.fill(headerPadded, headerBytes.length, padded, (byte) ' ');
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(length.array());
            out.write(headerPadded);
            for (Tensor tensor : tensors.values()) {
                ByteBuffer data = ByteBuffer.allocate(4 * tensor.data().length).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(tensor.data());
                out.write(data.array());
            }
        }
    }

    /** Reads every tensor as F32 (F16 and BF16 are widened). Malformed files are INVALID_INPUT naming the file. */
    public static Contents read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 8) {
            throw WorkbenchException.invalid(file + ": not a safetensors file (shorter than 8 bytes)");
        }
        long headerLength = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || 8 + headerLength > all.length) {
            throw WorkbenchException.invalid(file + ": safetensors header length " + headerLength + " out of range");
        }
        Map<String, Object> header;
        try {
            header = JSON.readValue(new String(all, 8, (int) headerLength, StandardCharsets.UTF_8),
                    new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            throw new WorkbenchException(WorkbenchException.Kind.INVALID_INPUT,
                    file + ": safetensors header is not valid JSON: " + e.getMessage(), e);
        }
        int dataStart = 8 + (int) headerLength;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : header.entrySet()) {
            if (METADATA.equals(entry.getKey())) {
                ((Map<?, ?>) entry.getValue()).forEach((k, v) -> metadata.put(String.valueOf(k), String.valueOf(v)));
                continue;
            }
            Map<?, ?> info = (Map<?, ?>) entry.getValue();
            String dtype = String.valueOf(info.get("dtype"));
            long[] shape = ((List<?>) info.get("shape")).stream().mapToLong(v -> ((Number) v).longValue()).toArray();
            List<?> offsets = (List<?>) info.get("data_offsets");
            int begin = dataStart + ((Number) offsets.get(0)).intValue();
            int end = dataStart + ((Number) offsets.get(1)).intValue();
            if (begin < dataStart || end > all.length || end < begin) {
                throw WorkbenchException.invalid(file + ": tensor '" + entry.getKey() + "' lies outside the file");
            }
            ByteBuffer bytes = ByteBuffer.wrap(all, begin, end - begin).order(ByteOrder.LITTLE_ENDIAN);
            float[] data = switch (dtype) {
                case "F32" -> {
                    float[] values = new float[(end - begin) / 4];
                    bytes.asFloatBuffer().get(values);
                    yield values;
                }
                case "BF16" -> {
                    float[] values = new float[(end - begin) / 2];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = Float.intBitsToFloat((bytes.getShort() & 0xffff) << 16);
                    }
                    yield values;
                }
                case "F16" -> {
                    float[] values = new float[(end - begin) / 2];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = halfToFloat(bytes.getShort());
                    }
                    yield values;
                }
                default -> throw WorkbenchException.invalid(file + ": tensor '" + entry.getKey() + "' has dtype "
                        + dtype + "; only F32, F16 and BF16 are read");
            };
            tensors.put(entry.getKey(), new Tensor(shape, data));
        }
        return new Contents(tensors, metadata);
    }

    /** IEEE 754 half precision to float ({@code Float.float16ToFloat} needs Java 20; we target 17). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** Names in a file, in order (for messages). */
    public static List<String> names(Contents contents) {
        return new ArrayList<>(contents.tensors().keySet());
    }
}
