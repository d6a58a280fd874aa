package dev.workbench.data.chat;

import dev.workbench.recipe.WorkbenchException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One conversation rendered by a chat template and tokenized, with the tokens the loss counts marked.
 *
 * <p>The trained text of assistant turn {@code i} is what the template adds for it: the rendering of turns
 * {@code 0..i} minus the rendering of turns {@code 0..i-1} with the generation prompt, i.e. the assistant's content and
 * the template's end of turn ({@code <|im_end|>}, {@code <|eot_id|>}, alpaca's eos), exactly what generation has to
 * produce. The text is cut at those span boundaries and each piece tokenized on its own, so a token never straddles
 * prompt and answer (as Axolotl and torchtune tokenize turn by turn).
 *
 * <p>Longer than {@code maxTokens}: the FIRST tokens are dropped (the oldest context) so that the last answer and its
 * end of turn survive; a model that never sees an answer's end would not learn to stop.
 *
 * @param ids the tokens, at most {@code maxTokens}
 * @param trained per token: counted by the loss
 * @param truncated tokens dropped from the start
 * @param text the rendered text (before truncation)
 */
public record ChatTokens(int[] ids, boolean[] trained, int truncated, String text) {

    /** Tokens the loss counts as targets: trained tokens except the first position (nothing predicts it). */
    public long trainedTargets() {
        long n = 0;
        for (int i = 1; i < trained.length; i++) {
            n += trained[i] ? 1 : 0;
        }
        return n;
    }

    /**
     * @param trainOnPrompt every token is trained, not only the assistant's
     * @param maxTokens the most tokens kept (the window plus the one that is only a target)
     */
    public static ChatTokens of(Conversation conversation, ChatTemplate template, Function<String, int[]> encode,
                                boolean trainOnPrompt, int maxTokens) {
        List<ChatMessage> messages = conversation.messages();
        String full = template.render(messages, false);
        List<int[]> spans = new ArrayList<>(); // [start, end) of trained text
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).role() != ChatMessage.Role.ASSISTANT) {
                continue;
            }
            String prompt = template.render(messages.subList(0, i), true);
            String upTo = template.render(messages.subList(0, i + 1), false);
            if (!upTo.startsWith(prompt) || !full.startsWith(upTo)) {
                throw WorkbenchException.invalid(conversation.id() + ": chat template " + template.name()
                        + " does not render a conversation's first turns as the start of the whole, so the assistant"
                        + " tokens cannot be marked (turn " + i + ")");
            }
            spans.add(new int[] {prompt.length(), upTo.length()});
        }
        List<Integer> ids = new ArrayList<>();
        List<Boolean> trained = new ArrayList<>();
        int at = 0;
        for (int[] span : spans) {
            add(ids, trained, encode, full.substring(at, span[0]), trainOnPrompt);
            add(ids, trained, encode, full.substring(span[0], span[1]), true);
            at = span[1];
        }
        add(ids, trained, encode, full.substring(at), trainOnPrompt);
        int drop = Math.max(0, ids.size() - maxTokens);
        int[] kept = new int[ids.size() - drop];
        boolean[] keptTrained = new boolean[kept.length];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = ids.get(drop + i);
            keptTrained[i] = trained.get(drop + i);
        }
        return new ChatTokens(kept, keptTrained, drop, full);
    }

    private static void add(List<Integer> ids, List<Boolean> trained, Function<String, int[]> encode, String piece,
                            boolean train) {
        if (piece.isEmpty()) {
            return;
        }
        for (int id : encode.apply(piece)) {
            ids.add(id);
            trained.add(train);
        }
    }
}
