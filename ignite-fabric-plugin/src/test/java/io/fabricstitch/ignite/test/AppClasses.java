package io.fabricstitch.ignite.test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * An application's own classes that exist nowhere on the test class path: compiled from source with
 * {@code javax.tools} into a folder of their own at test time, so that a child JVM started with the test class path
 * cannot see them unless a test hands them over (a jar, or Ignite's peer class loading).
 */
public final class AppClasses {
    private final Path classes;
    private final ClassLoader loader;

    private AppClasses(Path classes) {
        this.classes = classes;
        try {
            this.loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, AppClasses.class.getClassLoader());
        }
        catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Compiles {@code sources} (class name to source text) against the test class path into {@code dir}/classes.
     *
     * @throws AssertionError with the compiler's output when they do not compile
     */
    public static AppClasses compile(Path dir, Map<String, String> sources) {
        try {
            Path src = dir.resolve("src");
            Path out = dir.resolve("classes");
            Files.createDirectories(out);
            List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-cp",
                System.getProperty("java.class.path"), "-proc:none"));
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
                args.add(file.toString());
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            java.io.ByteArrayOutputStream msgs = new java.io.ByteArrayOutputStream();
            if (javac.run(null, msgs, msgs, args.toArray(new String[0])) != 0)
                throw new AssertionError("application classes did not compile:\n" + msgs);
            return new AppClasses(out);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The source of an application closure {@code className}: an {@code IgniteCallable<String>} made with a text,
     * which returns, space-separated, the process id of the JVM it ran in, the model of the fabric it ran on
     * ({@code FabricTaskContext}) and the SHA-256 of the text in hex, computed by a helper class of its own (a second
     * class the node must load).
     */
    public static String closureSource(String className) {
        int dot = className.lastIndexOf('.');
        String simple = className.substring(dot + 1);
        return "package " + className.substring(0, dot) + ";\n"
            + "public class " + simple + " implements org.apache.ignite.lang.IgniteCallable<String> {\n"
            + "    private static final long serialVersionUID = 1L;\n"
            + "    private final String text;\n"
            + "    public " + simple + "(String text) { this.text = text; }\n"
            + "    @Override public String call() throws Exception {\n"
            + "        io.fabricstitch.ignite.compute.FabricTaskContext ctx =\n"
            + "            io.fabricstitch.ignite.compute.FabricTaskContext.current();\n"
            + "        return ProcessHandle.current().pid() + \" \" + ctx.fabric().getModel().replace(' ', '_')\n"
            + "            + \" \" + Hex.sha256(text);\n"
            + "    }\n"
            + "    static final class Hex {\n"
            + "        static String sha256(String s) throws Exception {\n"
            + "            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance(\"SHA-256\")\n"
            + "                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));\n"
            + "        }\n"
            + "    }\n"
            + "}\n";
    }

    /** The class loader of these classes (one for the whole run, as an application has), its parent the test's. */
    public ClassLoader loader() {
        return loader;
    }

    /** An instance of {@code className} made by its constructor that takes {@code args} (all strings). */
    @SuppressWarnings("unchecked")
    public <T> T newInstance(String className, String... args) {
        try {
            Class<?>[] types = new Class<?>[args.length];
            java.util.Arrays.fill(types, String.class);
            return (T)loader().loadClass(className).getConstructor(types).newInstance((Object[])args);
        }
        catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot make a " + className + ": " + e, e);
        }
    }

    /** Writes a jar at {@code jar} of the classes whose names start with one of {@code prefixes}. */
    public Path jar(Path jar, String... prefixes) {
        try (Stream<Path> files = Files.walk(classes); OutputStream out = Files.newOutputStream(jar);
             JarOutputStream j = new JarOutputStream(out)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                String cls = name.replace('/', '.');
                if (Stream.of(prefixes).noneMatch(cls::startsWith))
                    continue;
                j.putNextEntry(new JarEntry(name));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
            return jar;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
