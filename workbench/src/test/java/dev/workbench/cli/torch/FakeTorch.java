package dev.workbench.cli.torch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Torch folders with the file layout of a pip wheel or a libtorch archive, and no real library inside. */
public final class FakeTorch {
    public static final int X86_64 = 62;
    static final int AARCH64 = 183;

    private FakeTorch() {
    }

    /** A pip-style torch package: version.py (with its cuda line), lib/libtorch.so with an ELF header. */
    public static Path wheel(Path parent, String version, String cuda, int elfMachine) {
        Path dir = parent.resolve("site-packages").resolve("torch");
        try {
            Files.createDirectories(dir.resolve("lib"));
            Files.writeString(dir.resolve("version.py"), "from typing import Optional\n\n"
                    + "__version__ = '" + version + "'\ndebug = False\n"
                    + "cuda: Optional[str] = " + (cuda == null ? "None" : "'" + cuda + "'") + "\n"
                    + "hip: Optional[str] = None\nrocm: Optional[str] = None\n");
            elf(dir.resolve("lib").resolve("libtorch.so"), elfMachine);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A libtorch archive: build-version, lib/libtorch.so. */
    static Path libtorch(Path parent, String buildVersion) {
        Path dir = parent.resolve("libtorch");
        try {
            Files.createDirectories(dir.resolve("lib"));
            Files.writeString(dir.resolve("build-version"), buildVersion + "\n");
            elf(dir.resolve("lib").resolve("libtorch.so"), X86_64);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The 20 bytes of a 64-bit little-endian ELF header up to e_machine. */
    static void elf(Path file, int machine) throws IOException {
        byte[] b = new byte[64];
        b[0] = 0x7f;
        b[1] = 'E';
        b[2] = 'L';
        b[3] = 'F';
        b[4] = 2;
        b[5] = 1;
        b[16] = 3; // ET_DYN
        b[18] = (byte) machine;
        b[19] = (byte) (machine >> 8);
        Files.write(file, b);
    }

    /** The headers and CMake file a build needs (empty files: only their presence is checked before a build). */
    static void headers(Path torch) throws IOException {
        for (String f : new String[] {"include/torch/csrc/api/include/torch/torch.h",
            "share/cmake/Torch/TorchConfig.cmake"}) {
            Files.createDirectories(torch.resolve(f).getParent());
            Files.writeString(torch.resolve(f), "");
        }
    }
}
