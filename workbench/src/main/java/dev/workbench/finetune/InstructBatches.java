package dev.workbench.finetune;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.workbench.data.chat.ChatTokens;

import java.util.List;

/**
 * Turns rows of tokenized conversations into a (B, T) {@link MicroBatch} for a packed forward: token ids, segment ids
 * (1, 2, ... per conversation in the row, 0 for padding) and position ids (0.. within each conversation), so that a
 * conversation's logits are those it gets alone. Labels are the next token within the same conversation; the weight is
 * 1 where that target is a trained token ({@link ChatTokens#trained}) and 0 elsewhere (prompt tokens, padding).
 */
public final class InstructBatches {
    private InstructBatches() {
    }

    /** @param rows each row: the conversations it holds, in order; T is the longest row's filled positions */
    public static MicroBatch of(List<List<ChatTokens>> rows, NDManager manager) {
        int time = 1;
        for (List<ChatTokens> row : rows) {
            int used = 0;
            for (ChatTokens c : row) {
                used += Math.max(0, c.ids().length - 1);
            }
            time = Math.max(time, used);
        }
        int count = rows.size();
        int[] inputs = new int[count * time];
        int[] segments = new int[count * time];
        int[] positions = new int[count * time];
        int[] labels = new int[count * time];
        float[] weights = new float[count * time];
        long units = 0;
        for (int r = 0; r < count; r++) {
            int at = r * time;
            int segment = 0;
            for (ChatTokens c : rows.get(r)) {
                segment++;
                for (int t = 0; t + 1 < c.ids().length; t++) {
                    inputs[at] = c.ids()[t];
                    segments[at] = segment;
                    positions[at] = t;
                    labels[at] = c.ids()[t + 1];
                    if (c.trained()[t + 1]) {
                        weights[at] = 1f;
                        units++;
                    }
                    at++;
                }
            }
        }
        Shape shape = new Shape(count, time);
        NDList in = new NDList(manager.create(inputs, shape).toType(DataType.INT64, false),
                manager.create(segments, shape).toType(DataType.INT64, false),
                manager.create(positions, shape).toType(DataType.INT64, false));
        return new MicroBatch(in, manager.create(labels, shape).toType(DataType.INT64, false),
                manager.create(weights, shape), units, (long) count * time);
    }
}
