package dev.workbench.model;

import ai.djl.Device;
import dev.workbench.recipe.Training;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevicesTest {

    @Test
    void autoMeansAllGpusOrTheCpu() {
        assertEquals(List.of(Device.cpu()), Devices.select(List.of("auto"), 0));
        assertEquals(List.of(Device.gpu(0), Device.gpu(1)), Devices.select(List.of("auto"), 2));
        assertEquals(List.of(Device.cpu()), Devices.select(List.of("cpu"), 2));
        assertEquals(List.of(Device.gpu(1), Device.gpu(0)), Devices.select(List.of("gpu:1", "gpu:0"), 2));
    }

    @Test
    void missingGpusAreEnvironmentErrors() {
        WorkbenchException none = assertThrows(WorkbenchException.class, () -> Devices.select(List.of("gpu"), 0));
        assertEquals(WorkbenchException.Kind.ENVIRONMENT, none.kind());
        assertEquals("training.devices asks for gpu but no GPU visible to PyTorch (CUDA natives not installed? "
                + "see README GPU section)", none.getMessage());
        WorkbenchException range = assertThrows(WorkbenchException.class,
                () -> Devices.select(List.of("gpu:2"), 2));
        assertEquals(WorkbenchException.Kind.ENVIRONMENT, range.kind());
        assertEquals("training.devices asks for gpu:2 but PyTorch sees 2 GPUs: gpu:0, gpu:1", range.getMessage());
    }

    @Test
    void nonsenseIsInvalidInput() {
        for (List<String> bad : List.of(List.of("tpu"), List.of("gpu:0", "gpu:0"), List.of("cpu", "gpu:0"),
                List.<String>of())) {
            WorkbenchException e = assertThrows(WorkbenchException.class, () -> Devices.select(bad, 1));
            assertEquals(WorkbenchException.Kind.INVALID_INPUT, e.kind(), bad.toString());
        }
    }

    @Test
    void fp16NeedsAGpuAndFp32AlwaysWorks() {
        Devices.checkPrecision(Training.Precision.FP32, List.of(Device.cpu()));
        Devices.checkPrecision(Training.Precision.FP16, List.of(Device.gpu(0)));
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> Devices.checkPrecision(Training.Precision.FP16, List.of(Device.cpu())));
        assertEquals(WorkbenchException.Kind.ENVIRONMENT, e.kind());
        assertTrue(e.getMessage().contains("fp16 needs a GPU"));
    }

    @Test
    void bf16IsRefusedWhenTheProbeProcessDies() {
        // DJL 0.36 + PyTorch 2.7.1: any bf16 tensor aborts the process ("terminate called without an active
        // exception", exit 134; see notes/djl-tribuo.md). The probe runs in a child JVM, so this JVM survives.
        // If a later DJL fixes bf16 this test fails, which is the signal to allow bf16 on the CPU.
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> Devices.checkPrecision(Training.Precision.BF16, List.of(Device.cpu())));
        assertEquals(WorkbenchException.Kind.ENVIRONMENT, e.kind());
        assertTrue(e.getMessage().startsWith("training.precision bf16 does not work on cpu"), e.getMessage());
        assertTrue(e.getMessage().contains("exited with 134"), e.getMessage());
    }
}
