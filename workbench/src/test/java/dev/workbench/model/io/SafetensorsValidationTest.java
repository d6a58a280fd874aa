package dev.workbench.model.io;

import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files from untrusted sources: every malformed header is refused with an INVALID_INPUT error that names the file and
 * the problem, before any tensor-sized allocation.
 */
class SafetensorsValidationTest {
    @TempDir
    Path dir;

    private static final String TWO_F32 = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    /** 8-byte little-endian length, the header bytes as given, then {@code dataBytes} zero bytes. */
    private Path file(String header, int dataBytes) throws Exception {
        return raw(header.length(), header.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    private Path raw(long declaredLength, byte[] header, int dataBytes) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(declaredLength).put(header);
        Path path = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(path, buffer.array());
        return path;
    }

    private static void refused(Path file, String expectedFragment) {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Safetensors.read(file));
        assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expectedFragment), "'" + expectedFragment + "' in: " + e.getMessage());
    }

    @Test
    void aWellFormedFileReads() throws Exception {
        Path ok = file(TWO_F32, 8);
        assertArrayEquals(new float[] {0f, 0f}, Safetensors.read(ok).get("a").values());
        Safetensors.Header header = Safetensors.readHeader(ok);
        assertEquals(8 + TWO_F32.length(), header.dataStart());
        assertEquals(8, header.entries().get("a").end());
    }

    @Test
    void headerLengthIsBoundedByTheLimitAndTheFile() throws Exception {
        // 2^40 bytes claimed: refused without allocating it
        refused(raw(1L << 40, TWO_F32.getBytes(StandardCharsets.UTF_8), 8), "limit 100 MiB");
        // plausible length, but longer than the file
        refused(raw(TWO_F32.length() + 100, TWO_F32.getBytes(StandardCharsets.UTF_8), 8), "does not fit a file");
        refused(raw(0, new byte[0], 0), "header length 0");
        refused(raw(-1, new byte[0], 0), "header length 18446744073709551615");
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        refused(tiny, "too short");
    }

    @Test
    void headerMustBeStrictUtf8JsonObject() throws Exception {
        refused(file("[1,2,3]", 0), "does not start with '{'");
        refused(file("{\"a\":", 0), "not valid JSON");
        refused(raw(4, new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'}, 0), "not valid UTF-8");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "Duplicate field 'a'");
        refused(file("{\"__metadata__\":{\"format\":1}}", 0), "__metadata__ value of 'format' is not a string");
        refused(file("{\"__metadata__\":[]}", 0), "__metadata__ is not a JSON object");
        refused(file("{\"a\":[]}", 0), "tensor 'a' is not a JSON object");
    }

    @Test
    void dtypeShapeAndOffsetsAreChecked() throws Exception {
        refused(file("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8), "dtype 'F64'");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8), "dimension -2");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8), "dimension 2.5");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", 8), "dimension \"2\"");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8), "two data_offsets");
        // 2^62 * 2^62 overflows a long; 2^31 values fit a long but not a Java array
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4611686018427387904],"
                + "\"data_offsets\":[0,8]}}", 8), "overflows");
        refused(file("{\"a\":{\"dtype\":\"F16\",\"shape\":[65536,32768],\"data_offsets\":[0,8]}}", 8),
                "2147483648 values");
        // shape product x dtype size must equal the span: 3 F32 values need 12 bytes
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "needs 12 bytes");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8), "outside");
    }

    @Test
    void spansMustTileTheDataWithoutOverlapGapOrTrailingBytes() throws Exception {
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "'a' and 'b' overlap");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12), "bytes 4 to 8");
        refused(file(TWO_F32, 12), "4 bytes after the last tensor");
        // truncated: the last tensor ends beyond the file
        refused(file(TWO_F32, 6), "truncated file?");
        // a zero-sized tensor may share its offset with a neighbour
        Path empty = file("{\"e\":{\"dtype\":\"BF16\",\"shape\":[0,3],\"data_offsets\":[0,0]}," + TWO_F32.substring(1),
                8);
        assertEquals(0, Safetensors.read(empty).get("e").values().length);
    }

    @Test
    void pytorchPickleAndZipFilesAreRefusedWithTheReason() throws Exception {
        Path zip = dir.resolve("pytorch_model.safetensors");
        Files.write(zip, new byte[] {'P', 'K', 3, 4, 0, 0, 8, 0, 0, 0, 0, 0});
        refused(zip, "arbitrary code");
        Path pickle = dir.resolve("legacy.safetensors");
        Files.write(pickle, new byte[] {(byte) 0x80, 2, 'c', 'c', 'o', 'l', 'l', 'e', 'c', 't'});
        refused(pickle, "PyTorch pickle");
    }

    @Test
    void onlyWantedTensorsAreDecoded() throws Exception {
        Map<String, Safetensors.Tensor> tensors = Map.of(
                "keep", new Safetensors.Tensor(Safetensors.DType.F32, new long[] {1}, new float[] {3f}),
                "skip", new Safetensors.Tensor(Safetensors.DType.F32, new long[] {1}, new float[] {4f}));
        Path path = dir.resolve("two.safetensors");
        Safetensors.write(path, tensors, Safetensors.DType.F32, Map.of());
        Map<String, Safetensors.Tensor> read = Safetensors.read(path, "keep"::equals);
        assertEquals(java.util.Set.of("keep"), read.keySet());
        assertArrayEquals(new float[] {3f}, read.get("keep").values());
    }
}
