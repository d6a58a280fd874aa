package dev.workbench.data.chat;

import java.util.List;

/**
 * One training example of the instruct task: an optional system message, then user and assistant turns, ending with
 * an assistant turn (what the model learns to say).
 *
 * @param id where it came from, {@code file:line}, for errors and {@code workbench preview}
 */
public record Conversation(String id, List<ChatMessage> messages) {
    public Conversation {
        messages = List.copyOf(messages);
    }

    /** The text used to find duplicates across splits: every turn, role-tagged. */
    public String key() {
        StringBuilder key = new StringBuilder();
        for (ChatMessage m : messages) {
            key.append(m.role().templateName()).append(": ").append(m.content()).append('\n');
        }
        return key.toString();
    }
}
