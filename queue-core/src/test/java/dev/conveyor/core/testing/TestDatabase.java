package dev.conveyor.core.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class its own empty database on the JVM's test server ({@link TestServer}),
 * dropped after the class, and injects it as a {@link TestDb} into constructors, {@code @BeforeAll}
 * and test methods. Test classes therefore never see each other's rows and run in any order.
 * A {@code @Nested} class shares its enclosing class's database.
 *
 * <pre>{@code
 * @ExtendWith(TestDatabase.class)
 * class ClaimIT {
 *     @Test
 *     void claims(TestDb db) { QueueManager qm = ...(db.open()); ... }
 * }
 * }</pre>
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestDatabase.class);
    private static final String KEY = "test-db";

    @Override
    public void beforeAll(ExtensionContext context) {
        if (context.getStore(NAMESPACE).get(KEY, TestDb.class) == null) {
            context.getStore(NAMESPACE).put(KEY, TestDb.create(TestServer.get()));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // remove() looks at this class's store only, so a @Nested class leaves its parent's alone.
        TestDb db = context.getStore(NAMESPACE).remove(KEY, TestDb.class);
        if (db != null) {
            db.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestDb.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestDb db = context.getStore(NAMESPACE).get(KEY, TestDb.class);
        if (db == null) {
            throw new ParameterResolutionException("no test database for " + context.getDisplayName()
                    + ": register TestDatabase on the test class with @ExtendWith(TestDatabase.class)");
        }
        return db;
    }
}
