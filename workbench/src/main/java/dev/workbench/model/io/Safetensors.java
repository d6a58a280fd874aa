package dev.workbench.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

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
    private static final ObjectMapper STRICT_JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final int MAX_HEADER_MIB = 100;
    private static final long MAX_HEADER_BYTES = (long) MAX_HEADER_MIB << 20;

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
        write(file, TensorSource.of(tensors), storeAs, metadata);
    }

    /**
     * Writes the tensors of {@code source} in its order, each stored as {@code storeAs}, reading (and encoding) one
     * tensor at a time: the header needs only names and shapes, so a model's weights are written without a copy of
     * them all in Java memory.
     */
    public static void write(Path file, TensorSource source, DType storeAs, Map<String, String> metadata)
            throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String name : source.names()) {
            shapes.put(name, source.shape(name));
        }
        byte[] header = headerOfShapes(shapes, storeAs, metadata);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length).put(header).flip();
            writeFully(channel, prefix);
            for (String name : shapes.keySet()) {
                Tensor tensor = source.read(name);
                if (!Arrays.equals(tensor.shape(), shapes.get(name))) {
                    throw new IllegalStateException(name + " changed shape while being written");
                }
                writeFully(channel, encode(tensor.values(), storeAs));
            }
        }
    }

    /** The header bytes (JSON padded with spaces to a multiple of 8) for tensors of these shapes laid out in order. */
    static byte[] header(Map<String, Tensor> tensors, DType storeAs, Map<String, String> metadata) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> shapes.put(name, tensor.shape()));
        return headerOfShapes(shapes, storeAs, metadata);
    }

    /** {@link #header} from names and shapes alone. */
    static byte[] headerOfShapes(Map<String, long[]> shapes, DType storeAs, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        try {
            if (!metadata.isEmpty()) {
                // keys sorted: callers pass Map.of, whose iteration order changes from one JVM to the next, and the
                // same weights must give the same file
                json.append("\"__metadata__\":").append(JSON.writeValueAsString(new TreeMap<>(metadata)));
            }
            long offset = 0;
            for (Map.Entry<String, long[]> entry : shapes.entrySet()) {
                long size = Arrays.stream(entry.getValue()).reduce(1, Math::multiplyExact);
                long end = offset + size * storeAs.bytes();
                if (json.length() > 1) {
                    json.append(',');
                }
                json.append(JSON.writeValueAsString(entry.getKey())).append(":{\"dtype\":\"").append(storeAs.name())
                        .append("\",\"shape\":").append(JSON.writeValueAsString(entry.getValue()))
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

    /** Where one tensor lies: its stored type, shape and byte span relative to the start of the data section. */
    public record Entry(DType dtype, long[] shape, long begin, long end) {
        /** Number of values (1 for a scalar of shape []). */
        public long size() {
            return Arrays.stream(shape).reduce(1, Math::multiplyExact);
        }
    }

    /** A validated header: string metadata, tensors in header order, and where the data section starts. */
    public record Header(Map<String, String> metadata, Map<String, Entry> entries, long dataStart) {
    }

    /** All tensors of a file, in header order, widened to FP32. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        return read(file, name -> true);
    }

    /**
     * The tensors of a file whose names {@code wanted} accepts, in header order, widened to FP32. The whole header is
     * validated first (see {@link #readHeader}); only the wanted tensors' bytes are read.
     */
    public static Map<String, Tensor> read(Path file, Predicate<String> wanted) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(file, channel);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, Entry> named : header.entries().entrySet()) {
                if (!wanted.test(named.getKey())) {
                    continue;
                }
                Entry entry = named.getValue();
                ByteBuffer data = readFully(file, channel, header.dataStart() + entry.begin(),
                        (int) (entry.end() - entry.begin())).order(ByteOrder.LITTLE_ENDIAN);
                tensors.put(named.getKey(), new Tensor(entry.dtype(), entry.shape(),
                        decode(data, entry.dtype(), (int) entry.size())));
            }
            return tensors;
        }
    }

    /**
     * The tensors of a file whose names {@code wanted} accepts, validated now (the whole header, as {@link #read}) and
     * read one at a time when asked ({@link TensorSource}): loading through it never holds the file's tensors all at
     * once in Java memory.
     */
    public static TensorSource open(Path file, Predicate<String> wanted) throws IOException {
        Header header = readHeader(file);
        Map<String, Entry> entries = new LinkedHashMap<>();
        header.entries().forEach((name, entry) -> {
            if (wanted.test(name)) {
                entries.put(name, entry);
            }
        });
        return new FileSource(file, header.dataStart(), java.util.Collections.unmodifiableMap(entries));
    }

    /** A validated file's tensors, each read when asked. */
    private record FileSource(Path file, long dataStart, Map<String, Entry> entries) implements TensorSource {
        @Override
        public java.util.Set<String> names() {
            return entries.keySet();
        }

        @Override
        public long[] shape(String name) {
            return entry(name).shape().clone();
        }

        @Override
        public Tensor read(String name) {
            Entry entry = entry(name);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer data = readFully(file, channel, dataStart + entry.begin(),
                        (int) (entry.end() - entry.begin())).order(ByteOrder.LITTLE_ENDIAN);
                return new Tensor(entry.dtype(), entry.shape(), decode(data, entry.dtype(), (int) entry.size()));
            } catch (IOException e) {
                throw new WorkbenchException(WorkbenchException.Kind.INVALID_INPUT, file + ": cannot read tensor '"
                        + name + "': " + e.getMessage(), e);
            }
        }

        @Override
        public float[] readRange(String name, long offset, int count) {
            Entry entry = entry(name);
            if (offset < 0 || count < 0 || offset + count > entry.size()) {
                throw new IllegalArgumentException(name + " has " + entry.size() + " values, asked for " + count
                        + " from " + offset);
            }
            int bytes = entry.dtype().bytes();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer data = readFully(file, channel, dataStart + entry.begin() + offset * bytes, count * bytes)
                        .order(ByteOrder.LITTLE_ENDIAN);
                return decode(data, entry.dtype(), count);
            } catch (IOException e) {
                throw new WorkbenchException(WorkbenchException.Kind.INVALID_INPUT, file + ": cannot read tensor '"
                        + name + "': " + e.getMessage(), e);
            }
        }

        private Entry entry(String name) {
            Entry entry = entries.get(name);
            if (entry == null) {
                throw new IllegalArgumentException(file + " has no tensor '" + name + "'");
            }
            return entry;
        }
    }

    /**
     * Reads and validates the header of a file that may come from anywhere, before a single tensor byte is
     * allocated: the header length is at most {@value #MAX_HEADER_MIB} MiB and inside the file; the header is strict
     * UTF-8 JSON, an object without duplicate keys; {@code __metadata__} maps strings to strings; every tensor has a
     * supported dtype, non-negative integer dimensions, at most {@link Integer#MAX_VALUE} values, and a byte span of
     * exactly size x dtype bytes; the spans tile the data section with no overlap, gap or trailing bytes (as the
     * reference Rust implementation requires). Any violation is a {@link WorkbenchException} of kind INVALID_INPUT
     * that names the file and the problem.
     */
    public static Header readHeader(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, channel);
        }
    }

    private static Header readHeader(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw bad(file, "file is " + fileSize + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lengthBytes = readFully(file, channel, 0, 8);
        long headerLength = lengthBytes.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > fileSize) {
            refusePickle(file, lengthBytes);
            throw bad(file, "header length " + Long.toUnsignedString(headerLength) + " does not fit a file of "
                    + fileSize + " bytes" + (headerLength > MAX_HEADER_BYTES ? " (limit " + MAX_HEADER_MIB + " MiB)" : ""));
        }
        ByteBuffer headerBytes = readFully(file, channel, 8, (int) headerLength);
        JsonNode header;
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBytes).toString();
            if (!text.startsWith("{")) {
                refusePickle(file, lengthBytes);
                throw bad(file, "header does not start with '{'");
            }
            header = STRICT_JSON.readTree(text);
        } catch (CharacterCodingException e) {
            throw bad(file, "header is not valid UTF-8");
        } catch (JsonProcessingException e) {
            throw bad(file, "header is not valid JSON: " + e.getOriginalMessage());
        }
        if (header == null || !header.isObject()) {
            throw bad(file, "header is not a JSON object");
        }
        long dataStart = 8 + headerLength;
        long dataSize = fileSize - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("__metadata__")) {
                readMetadata(file, field.getValue(), metadata);
            } else {
                entries.put(field.getKey(), entry(file, field.getKey(), field.getValue(), dataSize));
            }
        }
        checkTiling(file, entries, dataSize);
        return new Header(metadata, entries, dataStart);
    }

    /**
     * Called only once the header is already invalid (a valid length may well start with these bytes): PyTorch's own
     * formats start with a zip ("PK" 3 4) or pickle (0x80, protocol 2 to 5) signature.
     */
    private static void refusePickle(Path file, ByteBuffer firstBytes) {
        int b0 = firstBytes.get(0) & 0xff;
        int b1 = firstBytes.get(1) & 0xff;
        boolean zip = b0 == 'P' && b1 == 'K' && firstBytes.get(2) == 3 && firstBytes.get(3) == 4;
        if (zip || (b0 == 0x80 && b1 >= 2 && b1 <= 5)) {
            throw bad(file, "this is a PyTorch pickle/zip file (torch.save), not safetensors. " + PICKLE_REFUSAL);
        }
    }

    /** Why pickle checkpoints are never read, and what to do instead; shown whenever one is found. */
    public static final String PICKLE_REFUSAL = "Pickle checkpoints (.bin, .pt, .pth, .ckpt) are refused: unpickling "
            + "runs arbitrary code from the file. Convert it once, in an environment you trust, to safetensors, e.g. "
            + "python3 -c \"import torch; from safetensors.torch import save_file; "
            + "save_file(torch.load('pytorch_model.bin'), 'model.safetensors')\" (or save_pretrained(..., "
            + "safe_serialization=True)).";

    private static void readMetadata(Path file, JsonNode node, Map<String, String> into) {
        if (!node.isObject()) {
            throw bad(file, "__metadata__ is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw bad(file, "__metadata__ value of '" + field.getKey() + "' is not a string");
            }
            into.put(field.getKey(), field.getValue().asText());
        }
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataSize) {
        if (!node.isObject()) {
            throw bad(file, "tensor '" + name + "' is not a JSON object");
        }
        String dtypeName = node.path("dtype").asText("");
        DType dtype;
        try {
            dtype = DType.valueOf(dtypeName);
        } catch (IllegalArgumentException e) {
            throw bad(file, "tensor '" + name + "' has dtype '" + dtypeName + "'; supported: "
                    + Arrays.toString(DType.values()));
        }
        JsonNode shapeNode = node.path("shape");
        JsonNode offsets = node.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw bad(file, "tensor '" + name + "' needs a shape array and two data_offsets");
        }
        long[] shape = new long[shapeNode.size()];
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeInteger(shapeNode.get(i));
            if (shape[i] < 0) {
                throw bad(file, "tensor '" + name + "' has dimension " + shapeNode.get(i)
                        + "; dimensions are non-negative integers");
            }
            try {
                size = Math.multiplyExact(size, shape[i]);
            } catch (ArithmeticException e) {
                throw bad(file, "tensor '" + name + "' has shape " + shapeNode + " whose size overflows");
            }
        }
        if (size > Integer.MAX_VALUE) {
            throw bad(file, "tensor '" + name + "' has " + size + " values; at most " + Integer.MAX_VALUE
                    + " per tensor are supported");
        }
        long begin = nonNegativeInteger(offsets.get(0));
        long end = nonNegativeInteger(offsets.get(1));
        if (begin < 0 || end < begin || end > dataSize) {
            throw bad(file, "tensor '" + name + "' has data_offsets " + offsets + " outside the "
                    + dataSize + " data bytes (truncated file?)");
        }
        if (end - begin != size * dtype.bytes()) {
            throw bad(file, "tensor '" + name + "' of shape " + Arrays.toString(shape) + " and dtype " + dtype
                    + " needs " + size * dtype.bytes() + " bytes, data_offsets give " + (end - begin));
        }
        return new Entry(dtype, shape, begin, end);
    }

    /** The value of an integral JSON number that fits a long and is not negative, else -1. */
    private static long nonNegativeInteger(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToLong() && node.asLong() >= 0 ? node.asLong() : -1;
    }

    /** Spans must cover [0, dataSize) exactly once: no two tensors share bytes, none are left over. */
    private static void checkTiling(Path file, Map<String, Entry> entries, long dataSize) {
        List<Map.Entry<String, Entry>> sorted = new ArrayList<>(entries.entrySet());
        sorted.sort(Comparator.comparingLong((Map.Entry<String, Entry> e) -> e.getValue().begin())
                .thenComparingLong(e -> e.getValue().end()));
        long covered = 0;
        String previous = null;
        for (Map.Entry<String, Entry> named : sorted) {
            Entry entry = named.getValue();
            if (entry.begin() < covered) {
                throw bad(file, "tensors '" + previous + "' and '" + named.getKey() + "' overlap (bytes "
                        + entry.begin() + " to " + covered + ")");
            }
            if (entry.begin() > covered) {
                throw bad(file, "bytes " + covered + " to " + entry.begin() + " of the data belong to no tensor "
                        + "(before '" + named.getKey() + "')");
            }
            covered = entry.end();
            if (entry.end() > entry.begin()) {
                previous = named.getKey();
            }
        }
        if (covered != dataSize) {
            throw bad(file, (dataSize - covered) + " bytes after the last tensor belong to no tensor");
        }
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

    private static ByteBuffer readFully(Path file, FileChannel channel, long position, int length)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw bad(file, "unexpected end of file at byte " + (position + buffer.position())
                        + " (file shrank while being read?)");
            }
        }
        buffer.flip();
        return buffer;
    }

    private static WorkbenchException bad(Path file, String message) {
        return WorkbenchException.invalid(file + ": not a readable safetensors file: " + message);
    }
}
