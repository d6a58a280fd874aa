package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.workbench.optim.ModelParameters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToDoubleFunction;

/**
 * Data parallel training over several devices, done by hand so that it composes with the loop's own AdamW, clipping
 * and token-weighted accumulation (DJL's {@code ParameterStore}/{@code ParameterServer} route updates through DJL
 * optimizers, and refuse the same device twice, which the CPU test needs). Per optimizer step:
 * <ol>
 *   <li>{@link #replicate}: every parameter is copied (detached) to each further device, with a gradient buffer for the
 *   trainable ones: the broadcast of the weights the first device holds;</li>
 *   <li>{@link #split}: each micro-batch is cut along the batch axis into one contiguous slice per device;</li>
 *   <li>each replica runs forward and backward on its slice (divided by the units of the WHOLE step, as always);</li>
 *   <li>{@link #reduceGradients}: the replicas' gradients are added onto the first device's parameter gradients, which
 *   clipping and AdamW then use as if one device had seen the whole batch.</li>
 * </ol>
 * With several devices the replicas run concurrently, one thread per device ({@link #forEachReplica}; the first
 * replica on the calling thread), so each device's host-side work (DJL's JNI calls, launching kernels) overlaps the
 * others'; PyTorch's autograd engine runs backward passes of disjoint graphs from several threads. Each replica's
 * result is added in replica order, and the gradients are summed on the first device in replica order, so the sum
 * does not depend on which thread finishes first. This is a sum on one device, not NCCL all-reduce. Dropout masks
 * differ from a one-device run (each slice draws its own), and replicas that share a device (the CPU tests) share its
 * random generator, so only dropout-free steps are comparable, and only they are reproducible on one device.
 */
final class DataParallel implements AutoCloseable {
    private final List<Device> devices;
    private final ExecutorService workers;

    /**
     * @param devices the first is where the model's parameters live; may repeat a device (tests use cpu twice)
     * @param concurrent one thread per further replica; false drives them one after the other on the calling thread
     */
    DataParallel(List<Device> devices, boolean concurrent) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no devices");
        }
        this.devices = List.copyOf(devices);
        AtomicInteger next = new AtomicInteger(1);
        this.workers = concurrent && devices.size() > 1 ? Executors.newFixedThreadPool(devices.size() - 1, r -> {
            Thread t = new Thread(r, "replica-" + next.getAndIncrement());
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /**
     * Runs {@code work} for every replica index (concurrently when so constructed, the first on the calling thread)
     * and returns the sum of the results in replica order. A failure of any replica is rethrown after all finished.
     */
    double forEachReplica(IntToDoubleFunction work) {
        if (workers == null) {
            double sum = 0;
            for (int r = 0; r < devices.size(); r++) {
                sum += work.applyAsDouble(r);
            }
            return sum;
        }
        List<Future<Double>> others = new ArrayList<>();
        for (int r = 1; r < devices.size(); r++) {
            int replica = r;
            others.add(workers.submit(() -> work.applyAsDouble(replica)));
        }
        RuntimeException failure = null;
        double sum = 0;
        try {
            sum = work.applyAsDouble(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<Double> other : others) {
            try {
                sum += other.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re
                            : new IllegalStateException("a replica failed", e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? new IllegalStateException("interrupted while replicas ran", e) : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return sum;
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    int replicas() {
        return devices.size();
    }

    /**
     * Parameter stores, one per device: {@code primary} (the parameters themselves) first, then stores that hand out
     * copies on the other devices, attached to {@code stepManager} so they are freed with the step.
     */
    List<ParameterStore> replicate(ParameterStore primary, ModelParameters parameters, NDManager stepManager) {
        List<ParameterStore> stores = new ArrayList<>(List.of(primary));
        for (int r = 1; r < devices.size(); r++) {
            Device device = devices.get(r);
            Map<String, NDArray> mirrors = new HashMap<>();
            for (Parameter p : parameters.all().values()) {
                NDArray source = p.getArray().stopGradient();
                NDArray copy = source.getDevice().equals(device) ? source.duplicate() : source.toDevice(device, true);
                copy.attach(stepManager);
                if (p.requiresGradient()) {
                    copy.setRequiresGradient(true);
                }
                mirrors.put(p.getId(), copy);
            }
            stores.add(new MirrorStore(stepManager, mirrors));
        }
        return stores;
    }

    /**
     * {@code batch} cut into one slice per device along axis 0 (inputs, labels and weights alike); an empty slot when
     * there are fewer rows than devices. Units of a slice are its weights' sum; tokens are shared out by rows.
     */
    List<Optional<MicroBatch>> split(MicroBatch batch) {
        if (devices.size() == 1) {
            return List.of(Optional.of(batch));
        }
        long rows = batch.labels().getShape().get(0);
        List<Optional<MicroBatch>> slices = new ArrayList<>();
        for (int r = 0; r < devices.size(); r++) {
            long from = rows * r / devices.size();
            long to = rows * (r + 1) / devices.size();
            if (from == to) {
                slices.add(Optional.empty());
                continue;
            }
            Device device = devices.get(r);
            NDList inputs = new NDList();
            for (NDArray input : batch.inputs()) {
                inputs.add(rowsOf(input, from, to, device));
            }
            NDArray weights = rowsOf(batch.weights(), from, to, device);
            long units = Math.round(weights.sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble());
            slices.add(Optional.of(new MicroBatch(inputs, rowsOf(batch.labels(), from, to, device), weights, units,
                    batch.tokens() * (to - from) / rows)));
        }
        return slices;
    }

    private static NDArray rowsOf(NDArray array, long from, long to, Device device) {
        NDArray slice = array.get(new NDIndex("{}:{}", from, to));
        return slice.getDevice().equals(device) ? slice : slice.toDevice(device, false);
    }

    /** Adds every replica's gradients onto the first device's parameter gradients (the all-reduce, by hand). */
    void reduceGradients(ModelParameters parameters, List<ParameterStore> stores) {
        if (stores.size() == 1) {
            return;
        }
        Device primary = devices.get(0);
        for (Parameter p : parameters.trainable().values()) {
            Optional<NDArray> total = ModelParameters.gradient(p);
            for (int r = 1; r < stores.size(); r++) {
                NDArray mirror = ((MirrorStore) stores.get(r)).mirrors.get(p.getId());
                if (!mirror.hasGradient()) {
                    continue;
                }
                NDArray gradient = mirror.getGradient();
                if (total.isEmpty()) {
                    throw new IllegalStateException(p.getName() + " has a gradient on replica " + r
                            + " but none on the first device");
                }
                total.get().addi(gradient.getDevice().equals(primary) ? gradient : gradient.toDevice(primary, false));
            }
        }
    }

    /** Hands out a replica's copies instead of the parameters. */
    private static final class MirrorStore extends ParameterStore {
        private final Map<String, NDArray> mirrors;

        MirrorStore(NDManager manager, Map<String, NDArray> mirrors) {
            super(manager, false);
            this.mirrors = mirrors;
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            if (parameter == null) {
                return null;
            }
            NDArray mirror = mirrors.get(parameter.getId());
            if (mirror == null) {
                throw new IllegalStateException("parameter " + parameter.getName() + " is not part of the model's "
                        + "named parameters, so it has no replica");
            }
            return mirror;
        }
    }
}
