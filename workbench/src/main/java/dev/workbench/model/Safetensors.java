package dev.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format, written and read in Java: 8-byte little-endian header length N, N bytes of JSON header
 * ({@code {"__metadata__": {...}, name: {"dtype", "shape", "data_offsets": [begin, end]}}}, offsets relative to the
 * end of the header, padded with spaces to a multiple of 8), then the raw little-endian tensor bytes.
 *
 * <p>Why not DJL: {@code NDList.decode} of a BF16 safetensors file (and any BF16 NDArray) aborts the JVM with DJL 0.36's
 * PyTorch engine (no bf16 in its JNI dtype table). Here BF16 and F16 are widened to F32 in Java before an NDArray ever
 * exists, so a checkpoint stored in BF16 loads everywhere.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private Safetensors() {
    }

    /** Element types this reader understands; all are read into FP32. */
    public enum DType {
        F32(4), BF16(2), F16(2);

        private final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        public int bytes() {
            return bytes;
        }
    }

    /** One tensor: its stored element type, its shape and its values widened to FP32 (row-major). */
    public record Tensor(DType dtype, long[] shape, float[] values) {
        public Tensor {
            long size = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            if (size != values.length) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(shape) + " holds " + size + " values, got " + values.length);
            }
        }

        public static Tensor of(NDArray array) {
            NDArray fp32 = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
            return new Tensor(DType.F32, array.getShape().getShape(), fp32.toFloatArray());
        }
    }

    /** Writes the arrays (any float type, any device) in map order, stored as {@code storeAs}. */
    public static void writeArrays(Path file, Map<String, NDArray> arrays, DType storeAs, Map<String, String> metadata)
            throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        arrays.forEach((name, array) -> tensors.put(name, Tensor.of(array)));
        write(file, tensors, storeAs, metadata);
    }

    /** Writes the tensors in map order, each stored as {@code storeAs} (the tensors' own dtype is ignored). */
    public static void write(Path file, Map<String, Tensor> tensors, DType storeAs, Map<String, String> metadata)
            throws IOException {
        byte[] header = header(tensors, storeAs, metadata);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length).put(header).flip();
            writeFully(channel, prefix);
            for (Tensor tensor : tensors.values()) {
                writeFully(channel, encode(tensor.values(), storeAs));
            }
        }
    }

    /** The header bytes (JSON padded with spaces to a multiple of 8) for tensors laid out in map order. */
    static byte[] header(Map<String, Tensor> tensors, DType storeAs, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        try {
            if (!metadata.isEmpty()) {
                json.append("\"__metadata__\":").append(JSON.writeValueAsString(metadata));
            }
            long offset = 0;
            for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
                Tensor tensor = entry.getValue();
                long end = offset + (long) tensor.values().length * storeAs.bytes();
                if (json.length() > 1) {
                    json.append(',');
                }
                json.append(JSON.writeValueAsString(entry.getKey())).append(":{\"dtype\":\"").append(storeAs.name())
                        .append("\",\"shape\":").append(JSON.writeValueAsString(tensor.shape()))
                        .append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
                offset = end;
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON string", e);
        }
        json.append('}');
        while (json.length() % 8 != 0) {
            json.append(' ');
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** All tensors of a file, in header order, widened to FP32. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw bad(file, "file is " + fileSize + " bytes, too short for the 8-byte header length");
            }
            ByteBuffer lengthBytes = readFully(channel, 0, 8);
            long headerLength = lengthBytes.order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > fileSize) {
                throw bad(file, "header length " + headerLength + " does not fit a file of " + fileSize + " bytes");
            }
            ByteBuffer headerBytes = readFully(channel, 8, (int) headerLength);
            JsonNode header;
            try {
                header = JSON.readTree(StandardCharsets.UTF_8.decode(headerBytes).toString());
            } catch (JsonProcessingException e) {
                throw bad(file, "header is not valid JSON: " + e.getOriginalMessage());
            }
            if (header == null || !header.isObject()) {
                throw bad(file, "header is not a JSON object");
            }
            long dataStart = 8 + headerLength;
            long dataSize = fileSize - dataStart;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals("__metadata__")) {
                    continue;
                }
                tensors.put(field.getKey(), readTensor(file, channel, field.getKey(), field.getValue(), dataStart,
                        dataSize));
            }
            return tensors;
        }
    }

    private static Tensor readTensor(Path file, FileChannel channel, String name, JsonNode entry, long dataStart,
                                     long dataSize) throws IOException {
        String dtypeName = entry.path("dtype").asText("");
        DType dtype;
        try {
            dtype = DType.valueOf(dtypeName);
        } catch (IllegalArgumentException e) {
            throw bad(file, "tensor '" + name + "' has dtype '" + dtypeName + "'; supported: "
                    + Arrays.toString(DType.values()));
        }
        JsonNode shapeNode = entry.path("shape");
        JsonNode offsets = entry.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw bad(file, "tensor '" + name + "' needs a shape array and two data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong(-1);
            if (shape[i] < 0) {
                throw bad(file, "tensor '" + name + "' has a negative or non-numeric dimension");
            }
            size = Math.multiplyExact(size, shape[i]);
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataSize) {
            throw bad(file, "tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] outside the "
                    + dataSize + " data bytes (truncated file?)");
        }
        if (end - begin != size * dtype.bytes()) {
            throw bad(file, "tensor '" + name + "' of shape " + Arrays.toString(shape) + " and dtype " + dtype
                    + " needs " + size * dtype.bytes() + " bytes, data_offsets give " + (end - begin));
        }
        ByteBuffer data = readFully(channel, dataStart + begin, Math.toIntExact(end - begin))
                .order(ByteOrder.LITTLE_ENDIAN);
        return new Tensor(dtype, shape, decode(data, dtype, (int) size));
    }

    private static ByteBuffer encode(float[] values, DType dtype) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> buffer.asFloatBuffer().put(values);
            case BF16 -> {
                for (float value : values) {
                    buffer.putShort(toBf16(value));
                }
            }
            case F16 -> throw new UnsupportedOperationException("writing F16 is not supported; use F32 or BF16");
        }
        buffer.position(0);
        return buffer;
    }

    private static float[] decode(ByteBuffer data, DType dtype, int size) {
        float[] values = new float[size];
        switch (dtype) {
            case F32 -> data.asFloatBuffer().get(values);
            case BF16 -> {
                for (int i = 0; i < size; i++) {
                    values[i] = Float.intBitsToFloat((data.getShort() & 0xffff) << 16);
                }
            }
            case F16 -> {
                for (int i = 0; i < size; i++) {
                    values[i] = fromF16(data.getShort());
                }
            }
        }
        return values;
    }

    /** FP32 to BF16 with round-to-nearest-even (as PyTorch's {@code .to(torch.bfloat16)}); NaN stays NaN. */
    static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    static float fromF16(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // subnormal (or zero)
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
            }
        }
        buffer.flip();
        return buffer;
    }

    private static WorkbenchException bad(Path file, String message) {
        return WorkbenchException.invalid(file + ": not a readable safetensors file: " + message);
    }
}
