package dev.workbench.eval.task;

/**
 * How a task prompt becomes the model's input when the task says {@code apply_chat_template: true}: the prompt is
 * one user turn rendered by the model's chat template, ending where the assistant's reply starts. The chat template
 * renderer of the instruct task provides one; {@link #PLAIN} is the identity, for bases without a chat format.
 */
@FunctionalInterface
public interface PromptFormat {

    /** The model's input text for one user message, up to where the assistant's reply begins. */
    String userTurn(String text);

    /** The prompt as written. */
    PromptFormat PLAIN = text -> text;
}
