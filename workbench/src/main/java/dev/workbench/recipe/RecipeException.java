package dev.workbench.recipe;

import java.util.List;

/**
 * A recipe that cannot be used, with every problem found in one pass. The message lists each problem on its own line
 * ({@link Problem#render()}) and ends with {@code N problems in FILE}.
 */
public final class RecipeException extends WorkbenchException {
    private final String file;
    private final List<Problem> problems;

    public RecipeException(String file, List<Problem> problems) {
        this(Kind.INVALID_INPUT, file, problems);
    }

    /** @param kind what the problems are: INVALID_INPUT for the recipe or its data, ENVIRONMENT for the machine */
    public RecipeException(Kind kind, String file, List<Problem> problems) {
        super(kind, render(file, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a RecipeException needs at least one problem");
        }
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    /** The recipe file as the user named it. */
    public String file() {
        return file;
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String render(String file, List<Problem> problems) {
        StringBuilder text = new StringBuilder();
        for (Problem problem : problems) {
            text.append(problem.render()).append('\n');
        }
        text.append(problems.size()).append(problems.size() == 1 ? " problem in " : " problems in ").append(file);
        return text.toString();
    }
}
