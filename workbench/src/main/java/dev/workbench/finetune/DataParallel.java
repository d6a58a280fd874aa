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
 * The replicas are driven one after the other from one thread; on GPUs the kernels run asynchronously, so the devices
 * still overlap, but this is not NCCL all-reduce. Dropout masks differ from a one-device run (each slice draws its
 * own), so only dropout-free steps are comparable.
 */
final class DataParallel {
    private final List<Device> devices;

    /** @param devices the first is where the model's parameters live; may repeat a device (tests use cpu twice) */
    DataParallel(List<Device> devices) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no devices");
        }
        this.devices = List.copyOf(devices);
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
