package dev.workbench.report;

import freemarker.template.Configuration;
import freemarker.template.TemplateExceptionHandler;

/** The FreeMarker set-up of the HTML pages: templates from this package, UTF-8, every template error thrown. */
final class Templates {
    private Templates() {
    }

    static Configuration configuration() {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setClassForTemplateLoading(Templates.class, "/dev/workbench/report");
        cfg.setDefaultEncoding("UTF-8");
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        return cfg;
    }
}
