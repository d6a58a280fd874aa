package dev.workbench.data.chat;

import java.util.Locale;

/** One turn of a conversation: who speaks and what they say (never empty). */
public record ChatMessage(Role role, String content) {

    /** The roles of the OpenAI messages format, which the chat templates receive as {@code message['role']}. */
    public enum Role {
        SYSTEM, USER, ASSISTANT;

        /** The name a chat template sees ({@code system}, {@code user}, {@code assistant}). */
        public String templateName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ChatMessage {
        if (content == null || content.isEmpty()) {
            throw new IllegalArgumentException("a chat message needs content");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content);
    }
}
