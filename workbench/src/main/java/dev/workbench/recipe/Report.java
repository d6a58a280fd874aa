package dev.workbench.recipe;

import java.util.List;

/** @param formats any of html, markdown, json */
public record Report(List<String> formats, String title) {
}
