package dev.workbench.report;

/** Text for HTML pages written without the template engine (SVG charts, the server's pages). */
final class Html {
    private Html() {
    }

    /** Safe inside element content and inside single- or double-quoted attribute values. */
    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }
}
