// The workbench's libtorch extension: ATen's fused kernels on DJL's tensor handles.
//
// A DJL PyTorch handle (PtNDArray.getHandle()) is the address of a heap-allocated at::Tensor that DJL's bridge
// created with `new` and deletes when the Java array closes. Functions here read tensors through such handles and
// return new heap tensors the same way, so the Java side wraps the result in a PtNDArray that its manager owns and
// frees like any other. The ops run in the calling thread, so the grad mode DJL's GradientCollector set there
// applies: autograd records the result as it records any ATen op DJL calls.
#include <ATen/ATen.h>
#include <c10/core/GradMode.h>
#include <torch/version.h>
#include <jni.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

at::Tensor& tensor(jlong handle) {
  return *reinterpret_cast<at::Tensor*>(static_cast<uintptr_t>(handle));
}

jlong handle(at::Tensor&& t) {
  return static_cast<jlong>(reinterpret_cast<uintptr_t>(new at::Tensor(std::move(t))));
}

void rethrow(JNIEnv* env, const char* what) {
  // DJL's own bridge throws ai.djl.engine.EngineException for c10 errors; so do we, so callers see one kind
  jclass type = env->FindClass("ai/djl/engine/EngineException");
  if (type == nullptr) {
    env->ExceptionClear();
    type = env->FindClass("java/lang/IllegalStateException");
  }
  env->ThrowNew(type, what);
}

std::vector<at::Tensor> tensors(JNIEnv* env, jlongArray handles) {
  jsize n = env->GetArrayLength(handles);
  std::vector<jlong> raw(n);
  env->GetLongArrayRegion(handles, 0, n, raw.data());
  std::vector<at::Tensor> out;
  out.reserve(n);
  for (jlong h : raw) {
    out.push_back(tensor(h));  // a shallow copy: the same storage and autograd identity
  }
  return out;
}

}  // namespace

#define FUSED_BEGIN try {
#define FUSED_END(ret)                            \
  }                                               \
  catch (const c10::Error& e) {                   \
    rethrow(env, e.what_without_backtrace());     \
  }                                               \
  catch (const std::exception& e) {               \
    rethrow(env, e.what());                       \
  }                                               \
  return ret;

extern "C" {

/** The torch version this library was compiled against (TORCH_VERSION), for the loader's check and doctor. */
JNIEXPORT jstring JNICALL Java_dev_workbench_model_fused_FusedNative_torchVersion(JNIEnv* env, jclass) {
  return env->NewStringUTF(TORCH_VERSION);
}

/**
 * at::scaled_dot_product_attention(q, k, v, mask, dropout, causal, scale): on CUDA the flash or memory-efficient
 * kernel where the inputs allow, on CPU the fused flash-attention CPU kernel; the math fallback otherwise. A mask
 * handle of 0 means none. A floating mask is additive (the workbench's attention bias) and is cast to q's dtype,
 * which SDPA requires (bf16 under mixed precision); scale <= 0 means 1/sqrt(head dim).
 */
JNIEXPORT jlong JNICALL Java_dev_workbench_model_fused_FusedNative_scaledDotProductAttention(JNIEnv* env, jclass,
    jlong jq, jlong jk, jlong jv, jlong jmask, jboolean causal, jdouble dropout, jdouble scale) {
  FUSED_BEGIN
  const at::Tensor& q = tensor(jq);
  std::optional<at::Tensor> mask;
  if (jmask != 0) {
    at::Tensor m = tensor(jmask);
    if (m.is_floating_point() && m.scalar_type() != q.scalar_type()) {
      m = m.to(q.scalar_type());
    }
    mask = m;
  }
  std::optional<double> s;
  if (scale > 0) {
    s = scale;
  }
  return handle(at::scaled_dot_product_attention(q, tensor(jk), tensor(jv), mask, dropout, causal == JNI_TRUE, s));
  FUSED_END(0)
}

/**
 * One AdamW (decoupled) or Adam (L2, coupled) step over a group of parameters in one fused kernel
 * (at::_fused_adamw_ / at::_fused_adam_, what torch.optim.AdamW(fused=True) calls): params, grads and the two
 * moment lists are updated in place. {@code step} is the step count after this update (1 on the first), as
 * torch.optim increments its state_steps before the kernel.
 */
JNIEXPORT void JNICALL Java_dev_workbench_model_fused_FusedNative_fusedAdam(JNIEnv* env, jclass, jlongArray jparams,
    jlongArray jgrads, jlongArray jfirst, jlongArray jsecond, jlong step, jdouble lr, jdouble beta1, jdouble beta2,
    jdouble weight_decay, jdouble eps, jboolean decoupled) {
  FUSED_BEGIN
  c10::AutoGradMode no_grad(false);  // an optimizer step is not part of any graph
  std::vector<at::Tensor> params = tensors(env, jparams);
  if (params.empty()) {
    return;
  }
  std::vector<at::Tensor> grads = tensors(env, jgrads);
  std::vector<at::Tensor> first = tensors(env, jfirst);
  std::vector<at::Tensor> second = tensors(env, jsecond);
  std::vector<at::Tensor> steps(params.size(),
      at::full({}, static_cast<double>(step), params[0].options().dtype(at::kFloat)));
  std::vector<at::Tensor> none;
  if (decoupled == JNI_TRUE) {
    at::_fused_adamw_(params, grads, first, second, none, steps, lr, beta1, beta2, weight_decay, eps, false, false,
        std::nullopt, std::nullopt);
  } else {
    at::_fused_adam_(params, grads, first, second, none, steps, lr, beta1, beta2, weight_decay, eps, false, false,
        std::nullopt, std::nullopt);
  }
  FUSED_END()
}

}  // extern "C"
