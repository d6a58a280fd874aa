package dev.workbench.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A partition's rows transformed a chunk at a time (a model call per chunk, not per row), lazily, so a task holds
 * one chunk in memory rather than its whole partition.
 */
final class Chunked<I, O> implements Iterator<O> {
    private final Iterator<I> input;
    private final int size;
    private final Function<List<I>, List<O>> transform;
    private Iterator<O> current = Collections.emptyIterator();

    Chunked(Iterator<I> input, int size, Function<List<I>, List<O>> transform) {
        this.input = input;
        this.size = size;
        this.transform = transform;
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && input.hasNext()) {
            List<I> chunk = new ArrayList<>(size);
            while (chunk.size() < size && input.hasNext()) {
                chunk.add(input.next());
            }
            current = transform.apply(chunk).iterator();
        }
        return current.hasNext();
    }

    @Override
    public O next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }
}
