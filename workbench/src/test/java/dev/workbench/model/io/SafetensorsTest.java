package dev.workbench.model.io;

import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static Map<String, Safetensors.Tensor> twoByThree() {
        return Map.of("x", new Safetensors.Tensor(Safetensors.DType.F32, new long[] {2, 3},
                new float[] {1.5f, -2f, 0.25f, 0f, 1f, 2f}));
    }

    @Test
    void writesTheHandComputedBytesForA2x3Tensor() throws Exception {
        Path file = dir.resolve("x.safetensors");
        Safetensors.write(file, twoByThree(), Safetensors.DType.F32, Map.of());
        byte[] bytes = Files.readAllBytes(file);
        // Header counted by hand: {"x": (5) + {"dtype":"F32", (15) + "shape":[2,3], (14) + "data_offsets":[0,24] (21)
        // + }} (2) = 57 bytes, padded with 7 spaces to 64 = 0x40. Data: 6 floats = 24 bytes. Total 8 + 64 + 24 = 96.
        String header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}       ";
        assertEquals(96, bytes.length);
        assertEquals("4000000000000000", HexFormat.of().formatHex(bytes, 0, 8));
        assertEquals(header, new String(bytes, 8, 64, StandardCharsets.US_ASCII));
        // IEEE-754 little-endian: 1.5 = 0x3FC00000, -2 = 0xC0000000, 0.25 = 0x3E800000
        assertEquals("0000c03f000000c00000803e", HexFormat.of().formatHex(bytes, 72, 84));
    }

    @Test
    void metadataComesFirstAndNeedsNoPaddingAt88Bytes() {
        byte[] header = Safetensors.header(twoByThree(), Safetensors.DType.F32, Map.of("format", "pt"));
        // {"__metadata__":{"format":"pt"}, is 31 bytes before the 57-byte tensor entry body: 31 + 57 = 88 = 11 * 8
        assertEquals("{\"__metadata__\":{\"format\":\"pt\"},\"x\":{\"dtype\":\"F32\",\"shape\":[2,3],"
                + "\"data_offsets\":[0,24]}}", new String(header, StandardCharsets.UTF_8));
    }

    @Test
    void roundTripsF32ExactlyAndBf16Rounded() throws Exception {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a.weight", new Safetensors.Tensor(Safetensors.DType.F32, new long[] {3},
                new float[] {1.0f, 1.00390625f, 1.01171875f}));
        tensors.put("b", new Safetensors.Tensor(Safetensors.DType.F32, new long[] {1, 1}, new float[] {-3.3f}));
        tensors.put("scalar", new Safetensors.Tensor(Safetensors.DType.F32, new long[] {}, new float[] {7f}));
        Path f32 = dir.resolve("f32.safetensors");
        Safetensors.write(f32, tensors, Safetensors.DType.F32, Map.of("format", "pt"));
        Map<String, Safetensors.Tensor> back = Safetensors.read(f32);
        assertEquals(tensors.keySet().stream().toList(), back.keySet().stream().toList());
        for (String name : tensors.keySet()) {
            assertArrayEquals(tensors.get(name).values(), back.get(name).values(), name);
            assertArrayEquals(tensors.get(name).shape(), back.get(name).shape(), name);
        }
        Path bf16 = dir.resolve("bf16.safetensors");
        Safetensors.write(bf16, tensors, Safetensors.DType.BF16, Map.of());
        Map<String, Safetensors.Tensor> half = Safetensors.read(bf16);
        assertEquals(Safetensors.DType.BF16, half.get("b").dtype());
        // 1.00390625 = 0x3F808000 is halfway between bf16 0x3F80 and 0x3F81: ties to even -> 1.0.
        // 1.01171875 = 0x3F818000 is halfway between 0x3F81 and 0x3F82: ties to even -> 0x3F82 = 1.015625.
        assertArrayEquals(new float[] {1.0f, 1.0f, 1.015625f}, half.get("a.weight").values());
        // -3.3f = 0xC0533333 -> 0xC053 (below halfway) = -3.296875
        assertArrayEquals(new float[] {-3.296875f}, half.get("b").values());
        assertEquals(8 + Safetensors.header(tensors, Safetensors.DType.BF16, Map.of()).length + 5 * 2,
                Files.size(bf16));
    }

    @Test
    void readsF16() throws Exception {
        // 0x3C00 = 1.0, 0xC000 = -2.0, 0x0001 = 2^-24 (smallest subnormal), 0x7BFF = 65504 (largest finite)
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}";
        Path file = writeRaw(header, new short[] {0x3C00, (short) 0xC000, 0x0001, 0x7BFF});
        assertArrayEquals(new float[] {1.0f, -2.0f, 0x1p-24f, 65504f}, Safetensors.read(file).get("h").values());
    }

    @Test
    void refusesTruncatedAndUnsupportedFilesWithClearMessages() throws Exception {
        Path file = dir.resolve("x.safetensors");
        Safetensors.write(file, twoByThree(), Safetensors.DType.F32, Map.of());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 4));
        WorkbenchException truncated = assertThrows(WorkbenchException.class, () -> Safetensors.read(file));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

        Path i8 = writeRaw("{\"q\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]}}", new short[] {0});
        WorkbenchException unsupported = assertThrows(WorkbenchException.class, () -> Safetensors.read(i8));
        assertTrue(unsupported.getMessage().contains("dtype 'I8'"), unsupported.getMessage());

        Path garbage = dir.resolve("garbage.safetensors");
        Files.write(garbage, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 1});
        assertThrows(WorkbenchException.class, () -> Safetensors.read(garbage));
    }

    private Path writeRaw(String header, short[] data) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(8 + header.length() + data.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (short value : data) {
            buffer.putShort(value);
        }
        Path file = Files.createTempFile(dir, "raw", ".safetensors");
        Files.write(file, buffer.array());
        return file;
    }
}
