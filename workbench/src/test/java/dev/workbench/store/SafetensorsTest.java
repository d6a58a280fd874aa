package dev.workbench.store;

import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SafetensorsTest {

    @Test
    void roundTripKeepsOrderShapesValuesAndMetadata(@TempDir Path dir) throws Exception {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z.weight", new Safetensors.Tensor(new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, 1e-8f, 7}));
        tensors.put("a.bias", new Safetensors.Tensor(new long[] {3}, new float[] {0.25f, -0.5f, 9}));
        Path file = dir.resolve("m.safetensors");
        Safetensors.write(file, tensors, Map.of("format", "test"));
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header padded to 8 bytes");
        assertEquals(8 + headerLength + 4 * 9, bytes.length);
        Safetensors.Contents read = Safetensors.read(file);
        assertEquals(List.of("z.weight", "a.bias"), Safetensors.names(read));
        assertArrayEquals(new long[] {2, 3}, read.tensors().get("z.weight").shape());
        assertArrayEquals(tensors.get("z.weight").data(), read.tensors().get("z.weight").data());
        assertArrayEquals(tensors.get("a.bias").data(), read.tensors().get("a.bias").data());
        assertEquals("test", read.metadata().get("format"));
    }

    /** A hand-built file with BF16 and F16 tensors: 1.5 is 0x3FC0 in bf16 and 0x3E00 in f16; -2 is 0xC000 / 0xC000. */
    @Test
    void readsHalfPrecisionAsFloat(@TempDir Path dir) throws Exception {
        String header = "{\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[4,8]}}";
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + headerBytes.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(headerBytes.length).put(headerBytes);
        buffer.putShort((short) 0x3FC0).putShort((short) 0xC000).putShort((short) 0x3E00).putShort((short) 0xC000);
        Path file = dir.resolve("half.safetensors");
        Files.write(file, buffer.array());
        Safetensors.Contents read = Safetensors.read(file);
        assertArrayEquals(new float[] {1.5f, -2f}, read.tensors().get("b").data());
        assertArrayEquals(new float[] {1.5f, -2f}, read.tensors().get("h").data());
    }

    @Test
    void truncatedFileIsInvalidInput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, new byte[] {1, 0, 0, 0, 0, 0, 0, 0, '{'});
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Safetensors.read(file));
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
    }
}
