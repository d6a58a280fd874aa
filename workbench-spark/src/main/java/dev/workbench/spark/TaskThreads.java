package dev.workbench.spark;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * What a Spark task thread needs before it runs workbench's single-process code. PyTorch's grad mode is per thread:
 * DJL switches it off on the thread that starts the engine (a command's main thread) and nowhere else, so on a task
 * thread a generator's in-place sampling ops on parameters fail ("a leaf Variable that requires grad is being used
 * in an in-place operation"). Inference never needs gradients.
 */
final class TaskThreads {
    private TaskThreads() {
    }

    static void inferenceOnly() {
        Engine.getInstance(); // loads the natives, on an executor whose JVM has not used DJL yet
        JniUtils.setGradMode(false);
    }
}
