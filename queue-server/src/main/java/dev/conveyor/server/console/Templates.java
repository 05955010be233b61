package dev.conveyor.server.console;

import freemarker.core.HTMLOutputFormat;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapperBuilder;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;

/**
 * The console's FreeMarker templates ({@code console/templates/*.ftlh} on the class path).
 *
 * <p>Every template is HTML with auto-escaping on, so whatever a job, a device or a manifest
 * carries is shown as text, never as markup. Templates may not create Java objects or reach the
 * API of what they show; a template error is thrown to the caller (which logs it and answers
 * 500), never written into a half-rendered page.
 */
final class Templates {
    private final Configuration config;

    Templates() {
        config = new Configuration(Configuration.VERSION_2_3_34);
        config.setClassLoaderForTemplateLoading(Templates.class.getClassLoader(), "console/templates");
        config.setDefaultEncoding("UTF-8");
        config.setOutputEncoding("UTF-8");
        config.setURLEscapingCharset("UTF-8");
        config.setOutputFormat(HTMLOutputFormat.INSTANCE);
        config.setRecognizeStandardFileExtensions(true);
        config.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        config.setLogTemplateExceptions(false);
        config.setWrapUncheckedExceptions(true);
        config.setFallbackOnNullLoopVariable(false);
        config.setAPIBuiltinEnabled(false);
        config.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        // Ids are identifiers, not quantities: "12345", never "12,345".
        config.setNumberFormat("computer");
        config.setObjectWrapper(new DefaultObjectWrapperBuilder(Configuration.VERSION_2_3_34).build());
    }

    /** @param name a template's file name, such as {@code queues.ftlh} */
    String render(String name, Map<String, Object> model) {
        try {
            StringWriter out = new StringWriter();
            config.getTemplate(name).process(model, out);
            return out.toString();
        } catch (IOException | TemplateException e) {
            throw new IllegalStateException("console template " + name + " failed: " + e.getMessage(), e);
        }
    }
}
