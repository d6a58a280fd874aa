package dev.workbench.cli.torch;

import java.nio.file.Path;

/**
 * What the workbench can do with one installed PyTorch: its folder (the {@code torch} package of a pip or conda
 * install, or an unpacked libtorch), the version and flavour read from it (empty when unreadable), the verdict, why,
 * and the exact command or step that makes it usable (empty when nothing is needed).
 */
public record TorchCheck(Path dir, String version, String flavor, Verdict verdict, String reason, String fix) {

    /** The four answers {@code workbench doctor} gives for a torch. */
    public enum Verdict {
        /** Version and flavour match a bridge inside DJL's {@code pytorch-jni} jar (2.7.1 cpu/cu128 for DJL 0.36). */
        PREBUILT_BRIDGE("usable with DJL's prebuilt bridge"),
        /** Another version, and {@code workbench native build} has already built a bridge for it. */
        BUILT_BRIDGE("usable with the bridge built by `workbench native build`"),
        /** Another version with no bridge yet: one must be compiled from DJL's source first. */
        NEEDS_BUILD("usable after `workbench native build`"),
        /** Not a libtorch this JVM can load at all. */
        NOT_USABLE("not usable");

        private final String words;

        Verdict(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    public boolean usableNow() {
        return verdict == Verdict.PREBUILT_BRIDGE || verdict == Verdict.BUILT_BRIDGE;
    }

    public Path lib() {
        return dir.resolve("lib");
    }

    /** One line for doctor: {@code 2.13.0 cpu at DIR: usable after ...: reason; fix: ...}. */
    public String describe() {
        String what = version.isEmpty() ? "unknown version" : version + " " + (flavor.isEmpty() ? "?" : flavor);
        return what + " at " + dir + ": " + verdict.words() + (reason.isEmpty() ? "" : " (" + reason + ")")
                + (fix.isEmpty() ? "" : "; fix: " + fix);
    }
}
