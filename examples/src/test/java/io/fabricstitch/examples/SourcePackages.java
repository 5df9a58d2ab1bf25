package io.fabricstitch.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The project's own packages as its main sources declare them, and which of them each one uses: a package uses
 * another of them when one of its files imports a type of it (statically or not) or names one fully qualified in
 * code. Comments and string literals are not read.
 */
final class SourcePackages {
    /** The project root as seen from a module's directory (where surefire runs the tests). */
    static final Path ROOT = Path.of("..");

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])([a-z]\\w*(?:\\.[a-z]\\w*)+)\\.[A-Z]");
    private static final Pattern COMMENT_OR_STRING =
        Pattern.compile("/\\*.*?\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])'", Pattern.DOTALL);
    private static final Pattern HEADER_LINE = Pattern.compile("^(?:package|import)\\b[^\\n]*", Pattern.MULTILINE);

    /** One use of a package by a file of another: which file, naming which type. */
    static final class Use {
        final Path file;
        final String type;

        Use(Path file, String type) {
            this.file = file;
            this.type = type;
        }

        @Override public String toString() {
            return file.normalize() + " uses " + type;
        }
    }

    /** package -> package it uses -> the uses. */
    final Map<String, Map<String, List<Use>>> uses = new TreeMap<>();

    private SourcePackages() {
    }

    /** Every {@code src/main/java} tree of the project: each module's and examples/own-closure's. */
    static SourcePackages ofMainSources() {
        List<Path> roots = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).forEach(roots::add);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path ownClosure = ROOT.resolve("examples/own-closure/src/main/java");
        if (Files.isDirectory(ownClosure))
            roots.add(ownClosure);
        return of(roots);
    }

    static SourcePackages of(List<Path> sourceRoots) {
        SourcePackages p = new SourcePackages();
        for (Path root : sourceRoots) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(p::read);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p;
    }

    private void read(Path file) {
        String src;
        try {
            src = Files.readString(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher pkg = PACKAGE.matcher(src);
        if (!pkg.find())
            return;
        String from = pkg.group(1);
        Map<String, List<Use>> mine = uses.computeIfAbsent(from, k -> new TreeMap<>());
        Matcher imp = IMPORT.matcher(src);
        while (imp.find())
            addUse(mine, from, file, imp.group(1));
        String code = HEADER_LINE.matcher(COMMENT_OR_STRING.matcher(src).replaceAll(" ")).replaceAll("");
        Matcher q = QUALIFIED.matcher(code);
        while (q.find())
            addUse(mine, from, file, q.group(1) + "." + code.substring(q.end() - 1).split("\\W", 2)[0]);
    }

    private static void addUse(Map<String, List<Use>> mine, String from, Path file, String name) {
        String to = packageOf(name);
        if (to.equals(from))
            return;
        List<Use> toThat = mine.computeIfAbsent(to, k -> new ArrayList<>());
        if (toThat.stream().noneMatch(u -> u.file.equals(file) && u.type.equals(name)))
            toThat.add(new Use(file, name));
    }

    /** The package part of a qualified name: its segments up to the first that starts in upper case. */
    static String packageOf(String qualifiedName) {
        StringBuilder b = new StringBuilder();
        for (String s : qualifiedName.split("\\.")) {
            if (Character.isUpperCase(s.charAt(0)))
                break;
            if (b.length() > 0)
                b.append('.');
            b.append(s);
        }
        return b.toString();
    }

    /** The project's packages that {@code pkg} uses. */
    Set<String> used(String pkg) {
        Set<String> out = new TreeSet<>(uses.getOrDefault(pkg, Map.of()).keySet());
        out.retainAll(uses.keySet());
        return out;
    }
}
