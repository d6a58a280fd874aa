package dev.workbench.eval.task;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.workbench.recipe.WorkbenchException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's Jinja templates rendered over one record (HubSpot's Jinjava, the Java Jinja engine; lm-eval renders the
 * same templates with Python's jinja2). A field the template names but the record lacks is an error, never an empty
 * string that silently changes every prompt.
 */
final class TaskTemplates {
    private static final Pattern ONE_FIELD = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).build());

    String render(String template, TaskItems.Item item) {
        RenderResult result = jinjava.renderForResult(template, item.fields());
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw WorkbenchException.invalid(item.where() + ": template " + quote(template) + ": "
                        + error.getMessage());
            }
        }
        return result.getOutput();
    }

    /**
     * lm-eval's {@code doc_to_choice}: a template naming one list field gives that list; any other template must
     * render to a JSON list of strings.
     */
    List<String> choices(String template, TaskItems.Item item) {
        Matcher one = ONE_FIELD.matcher(template.strip());
        if (one.matches() && item.fields().get(one.group(1)) instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            list.forEach(v -> out.add(String.valueOf(v)));
            return out;
        }
        String text = render(template, item);
        try {
            return JSON.readValue(text, new TypeReference<List<String>>() { });
        } catch (java.io.IOException e) {
            throw WorkbenchException.invalid(item.where() + ": doc_to_choice " + quote(template)
                    + " must give a list (a list field, or a JSON list), got " + quote(text));
        }
    }

    private static String quote(String text) {
        return "'" + text + "'";
    }
}
