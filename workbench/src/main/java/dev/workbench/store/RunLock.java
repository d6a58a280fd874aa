package dev.workbench.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive, OS-level lock on one run: {@code runs/<recipe>/<run-id>.lock}, a sibling of the run folder (so the
 * lock survives the {@code .partial} -> committed rename). Every process that writes a run folder holds it for as long
 * as it writes. The holder writes its PID into the file so a refused process can say who holds the run. The OS drops
 * the lock when the holder exits, however it exits, so a crashed holder never leaves a run locked.
 *
 * <p>The file is never deleted: deleting a lock file while another process has it open lets two processes hold locks
 * on two different files of the same name.
 */
public final class RunLock implements AutoCloseable {
    public static final String SUFFIX = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Another process (or another writer in this one) holds the run. */
    public static final class HeldException extends IOException {
        private final Path lockFile;
        private final Optional<Long> holderPid;

        HeldException(Path lockFile, Optional<Long> holderPid) {
            super(lockFile + " is locked by " + holderPid.map(pid -> "process " + pid).orElse("another process"));
            this.lockFile = lockFile;
            this.holderPid = holderPid;
        }

        public Path lockFile() {
            return lockFile;
        }

        public Optional<Long> holderPid() {
            return holderPid;
        }
    }

    /** The lock file of the run {@code runId} of recipe folder {@code recipeFolder}. */
    public static Path file(Path recipeFolder, String runId) {
        return recipeFolder.resolve(runId + SUFFIX);
    }

    /** Takes the lock without waiting; throws {@link HeldException} when someone else has it. */
    public static RunLock acquire(Path lockFile) throws IOException {
        Files.createDirectories(lockFile.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            Optional<Long> holder = readPid(channel);
            channel.close();
            throw new HeldException(lockFile, holder);
        }
        byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
        channel.force(false);
        return new RunLock(channel, lock);
    }

    private static Optional<Long> readPid(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
