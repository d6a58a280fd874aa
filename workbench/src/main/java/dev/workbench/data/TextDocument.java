package dev.workbench.data;

/** One document of the language-model corpus. {@code id} is stable (file:line or row number). */
public record TextDocument(String id, String text) {
}
