package dev.workbench.model.fused;

/**
 * The JNI entry points of the workbench's libtorch extension ({@code src/main/native/fused/workbench_fused.cc}). Every
 * {@code long} is a DJL PyTorch handle: the address of an {@code at::Tensor} (what {@code PtNDArray.getHandle()}
 * returns); a returned handle is a new tensor for a {@code PtNDArray} to own. Call only through {@link FusedOps},
 * which loads the library and checks it matches the libtorch DJL runs on.
 */
final class FusedNative {
    private FusedNative() {
    }

    /** TORCH_VERSION of the headers the library was compiled with, e.g. {@code 2.13.0}. */
    static native String torchVersion();

    /** at::scaled_dot_product_attention; {@code mask} 0 for none, {@code scale} &lt;= 0 for 1/sqrt(head dim). */
    static native long scaledDotProductAttention(long q, long k, long v, long mask, boolean causal, double dropout,
                                                 double scale);

    /** at::_fused_adamw_ ({@code decoupled}) or at::_fused_adam_ over one parameter group, in place. */
    static native void fusedAdam(long[] params, long[] grads, long[] firstMoments, long[] secondMoments, long step,
                                 double learningRate, double beta1, double beta2, double weightDecay, double epsilon,
                                 boolean decoupled);
}
