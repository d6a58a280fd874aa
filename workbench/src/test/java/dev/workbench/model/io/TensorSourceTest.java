package dev.workbench.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Lazy tensors: a file opened with {@link Safetensors#open} reads only what is asked, ranges included; streaming
 * writes give the same bytes as writing from memory; a tensor larger than one slice is copied into its array slice by
 * slice with the same values.
 */
class TensorSourceTest {
    @TempDir
    Path dir;

    @Test
    void rangesAndStreamingWritesAgreeWithWholeReads() throws Exception {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", new Safetensors.Tensor(Safetensors.DType.F32, new long[] {2, 3},
                new float[] {1, 2, 3, 4, 5, 6}));
        tensors.put("b", new Safetensors.Tensor(Safetensors.DType.F32, new long[] {4}, new float[] {-1, 0.5f, 7, 8}));
        Path fromMemory = dir.resolve("memory.safetensors");
        Path streamed = dir.resolve("streamed.safetensors");
        Safetensors.write(fromMemory, tensors, Safetensors.DType.BF16, Map.of("format", "pt"));
        Safetensors.write(streamed, TensorSource.of(tensors), Safetensors.DType.BF16, Map.of("format", "pt"));
        assertArrayEquals(java.nio.file.Files.readAllBytes(fromMemory), java.nio.file.Files.readAllBytes(streamed));

        TensorSource source = Safetensors.open(fromMemory, name -> true);
        assertEquals(List.of("a", "b"), List.copyOf(source.names()));
        assertArrayEquals(new long[] {2, 3}, source.shape("a"));
        assertArrayEquals(new float[] {3, 4, 5}, source.readRange("a", 2, 3));
        assertArrayEquals(new float[] {0.5f, 7}, source.readRange("b", 1, 2));
        TensorSource renamed = TensorSource.renamed(source, Map.of("x", "b"));
        assertArrayEquals(new float[] {8}, renamed.readRange("x", 3, 1));
    }

    @Test
    void aTensorLargerThanASliceLoadsSliceBySlice() throws Exception {
        int rows = 1100;
        int columns = 4096; // 4.5M values: more than one 4M-value slice
        float[] values = new float[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 977) * 0.25f - 100; // exact in BF16? no matter: both sides read the same file
        }
        Path file = dir.resolve("big.safetensors");
        Safetensors.write(file, Map.of("big", new Safetensors.Tensor(Safetensors.DType.F32,
                new long[] {rows, columns}, values)), Safetensors.DType.BF16, Map.of());
        TensorSource source = Safetensors.open(file, name -> true);
        float[] whole = source.read("big").values();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray array = Weights.array(source, "big", new Shape(rows, columns), DataType.FLOAT32, manager);
            assertEquals(new Shape(rows, columns), array.getShape());
            assertArrayEquals(whole, array.toFloatArray());
        }
    }
}
