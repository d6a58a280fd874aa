package dev.workbench.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decodes UTF-8 strictly (a {@link CodingErrorAction#REPORT} decoder) and remembers on which line each malformed byte
 * sequence sits, so that the loader can name {@code file:line} and, under the skip policy, drop just that row.
 *
 * <p>A plain {@code InputStreamReader} either replaces bad bytes silently or throws while filling an 8 KiB buffer, far
 * from the line that caused it. Here the bad bytes become U+FFFD in the output (so parsing goes on), and the line is
 * the count of '\n' decoded before them, plus one: exact, because decoding is sequential. A leading byte-order mark is
 * dropped.
 */
final class StrictUtf8Reader extends Reader {
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
    private final CharBuffer chars = CharBuffer.allocate(64 * 1024);
    /** Line (1-based) -> description of its first malformed sequence. */
    private final TreeMap<Integer, String> malformed = new TreeMap<>();
    private long newlines;
    private long bytesConsumed;
    private boolean endOfInput;
    private boolean flushed;
    private boolean first = true;

    StrictUtf8Reader(InputStream in) {
        this.in = in;
        bytes.flip();
        chars.flip();
    }

    /** Lines seen so far that hold invalid UTF-8, with what was wrong; the caller removes the ones it has handled. */
    TreeMap<Integer, String> malformedLines() {
        return malformed;
    }

    /** The first malformed line in {@code [fromLine, toLine]}, or null. */
    Map.Entry<Integer, String> firstMalformed(long fromLine, long toLine) {
        Map.Entry<Integer, String> entry = malformed.ceilingEntry((int) Math.min(Integer.MAX_VALUE, fromLine));
        return entry != null && entry.getKey() <= toLine ? entry : null;
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (flushed) {
                return -1;
            }
            fill();
        }
        int n = Math.min(length, chars.remaining());
        chars.get(target, offset, n);
        return n;
    }

    private void fill() throws IOException {
        chars.clear();
        while (chars.position() == 0 && !flushed) {
            if (!bytes.hasRemaining() || !endOfInput) {
                readMoreBytes();
            }
            int start = chars.position();
            int bytesBefore = bytes.position();
            CoderResult result = decoder.decode(bytes, chars, endOfInput);
            bytesConsumed += bytes.position() - bytesBefore;
            countNewlines(start);
            if (result.isError()) {
                if (!chars.hasRemaining()) {
                    break; // no room for U+FFFD: the decoder reports the same bytes again on the next fill
                }
                recordMalformed(result.length());
            } else if (result.isUnderflow() && endOfInput && !bytes.hasRemaining()) {
                decoder.flush(chars);
                flushed = true;
            }
            if (result.isOverflow()) {
                break;
            }
        }
        chars.flip();
        if (first && chars.hasRemaining()) {
            first = false;
            if (chars.get(chars.position()) == '\uFEFF') {
                chars.get();
            }
        }
    }

    private void readMoreBytes() throws IOException {
        bytes.compact();
        int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (read < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + read);
        }
        bytes.flip();
    }

    private void recordMalformed(int length) {
        long line = newlines + 1;
        byte[] bad = new byte[length];
        bytes.get(bad);
        String what = "invalid UTF-8 (byte" + (length > 1 ? "s " : " ") + hexBytes(bad) + " at byte offset "
                + bytesConsumed + ")";
        bytesConsumed += length;
        malformed.putIfAbsent((int) Math.min(Integer.MAX_VALUE, line), what);
        chars.put('\uFFFD');
    }

    private static String hexBytes(byte[] bad) {
        StringBuilder out = new StringBuilder();
        for (byte b : bad) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append("0x").append(HexFormat.of().withUpperCase().toHexDigits(b));
        }
        return out.toString();
    }

    private void countNewlines(int from) {
        for (int i = from; i < chars.position(); i++) {
            if (chars.get(i) == '\n') {
                newlines++;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
