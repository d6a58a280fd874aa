package dev.workbench.cli.torch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The JNI bridges inside DJL's {@code pytorch-jni} jar on the classpath, read from the jar itself rather than written
 * down here: {@code jnilib/pytorch.properties} names the libtorch version they were built for (2.7.1 for DJL 0.36) and
 * {@code jnilib/<platform>/<flavor>/libdjl_torch.so} says which flavours exist (cpu and cu128 on linux-x86_64).
 * DJL uses one of them only when the torch version matches (LibUtils.findJniLibrary).
 */
public record PrebuiltBridges(String torchVersion) {

    public static PrebuiltBridges onClasspath() {
        try (InputStream in = PrebuiltBridges.class.getClassLoader().getResourceAsStream("jnilib/pytorch.properties")) {
            if (in == null) {
                return new PrebuiltBridges("");
            }
            Properties p = new Properties();
            p.load(in);
            String jni = p.getProperty("jni_version", "");
            int dash = jni.indexOf('-');
            return new PrebuiltBridges(dash < 0 ? jni : jni.substring(0, dash));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the jar has a bridge for this torch version and flavour on this platform. */
    public boolean covers(String version, String flavor) {
        return !torchVersion.isEmpty() && torchVersion.equals(version) && PrebuiltBridges.class.getClassLoader()
                .getResource("jnilib/" + NativeHome.platform() + "/" + flavor + "/libdjl_torch.so") != null;
    }
}
