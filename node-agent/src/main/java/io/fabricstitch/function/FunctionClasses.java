package io.fabricstitch.function;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/** Instantiates a function named by class; every failure names the class and why. */
final class FunctionClasses {
    private static final String EXPECTED = " (expected: a public class implementing "
        + AccelerationFunction.class.getName() + " with a public no-arg constructor)";

    private FunctionClasses() {
    }

    static AccelerationFunction instantiate(ClassLoader loader, String className) {
        if (className == null || className.isBlank())
            throw new IllegalArgumentException("functionClasses element: '" + className + "'" + EXPECTED);
        Class<?> cls;
        try {
            cls = Class.forName(className, false, loader);
        }
        catch (ClassNotFoundException | LinkageError e) {
            throw fail(className, "not found (" + e + ')', e);
        }
        if (!AccelerationFunction.class.isAssignableFrom(cls))
            throw fail(className, "not an AccelerationFunction", null);
        if (!Modifier.isPublic(cls.getModifiers()) || Modifier.isAbstract(cls.getModifiers()))
            throw fail(className, Modifier.isAbstract(cls.getModifiers()) ? "abstract" : "not public", null);
        try {
            return (AccelerationFunction)cls.getConstructor().newInstance();
        }
        catch (NoSuchMethodException e) {
            throw fail(className, "no public no-arg constructor", e);
        }
        catch (InvocationTargetException e) {
            throw fail(className, "constructor threw " + e.getCause(), e.getCause());
        }
        catch (ReflectiveOperationException | LinkageError e) {
            throw fail(className, "cannot be instantiated (" + e + ')', e);
        }
    }

    private static IllegalArgumentException fail(String className, String why, Throwable cause) {
        return new IllegalArgumentException("functionClasses element: '" + className + "' " + why + EXPECTED, cause);
    }
}
