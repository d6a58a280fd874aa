package dev.workbench.finetune;

import java.io.IOException;
import java.nio.file.Path;

/** How a task's model becomes a checkpoint folder; see {@link TrainingTask#saveCheckpoint}. */
@FunctionalInterface
public interface CheckpointSaver {
    void save(Path target, Checkpoints.Contents trainingFiles) throws IOException;
}
