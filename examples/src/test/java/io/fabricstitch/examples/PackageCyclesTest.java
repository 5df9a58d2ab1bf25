package io.fabricstitch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * No package of the project uses one that uses it back, directly or through a longer cycle: read from the main
 * sources of every module (see {@link SourcePackages} for what counts as a use). A failure names each cycle, the
 * types that close it and the files that use them.
 */
class PackageCyclesTest {
    /**
     * Cycles not yet broken, each with what breaks it. A cycle that is gone must leave this list; one that changes
     * (a package joins or leaves it) fails the test until the list says so.
     */
    private static final Map<Set<String>, String> KNOWN = Map.of();

    @Test
    void noPackageUsesOneThatUsesItBack() {
        SourcePackages sources = SourcePackages.ofMainSources();
        assertTrue(sources.uses.containsKey("io.fabricstitch.ignite.compute"), "read no sources under "
            + SourcePackages.ROOT.toAbsolutePath().normalize());
        List<Set<String>> cycles = cycles(sources);
        List<String> found = new ArrayList<>();
        for (Set<String> component : cycles) {
            if (!KNOWN.containsKey(component))
                found.add(describe(sources, component));
        }
        assertTrue(found.isEmpty(), () -> "package cycles:\n" + String.join("\n", found));
        for (Set<String> known : KNOWN.keySet())
            assertTrue(cycles.contains(known), () -> "the known cycle " + known + " is gone: take it off KNOWN");
    }

    @Test
    void aCycleThroughThreePackages_isFoundAndNamed() {
        SourcePackages sources = SourcePackages.of(List.of(Path.of("src/test/resources/package-cycle")));
        List<Set<String>> cycles = cycles(sources);
        assertEquals(List.of(new TreeSet<>(Set.of("p.a", "p.b", "p.c"))), cycles);
        String text = describe(sources, cycles.get(0));
        assertTrue(text.startsWith("p.a -> p.b -> p.c -> p.a"), text);
        assertTrue(text.contains("uses p.a.A"), text);
    }

    /** The strongly connected components of more than one package (Tarjan's algorithm), each sorted. */
    static List<Set<String>> cycles(SourcePackages sources) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> out = new ArrayList<>();
        for (String p : sources.uses.keySet()) {
            if (!index.containsKey(p))
                connect(sources, p, index, low, stack, out);
        }
        return out;
    }

    private static void connect(SourcePackages s, String v, Map<String, Integer> index, Map<String, Integer> low,
        Deque<String> stack, List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        for (String w : s.used(v)) {
            if (!index.containsKey(w)) {
                connect(s, w, index, low, stack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            }
            else if (stack.contains(w))
                low.put(v, Math.min(low.get(v), index.get(w)));
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                component.add(w);
            }
            while (!w.equals(v));
            if (component.size() > 1)
                out.add(component);
        }
    }

    /** The shortest cycle through the component's first package, then the uses behind each of its steps. */
    static String describe(SourcePackages s, Set<String> component) {
        String start = component.iterator().next();
        Map<String, String> cameFrom = new LinkedHashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        String last = null;
        while (last == null && !queue.isEmpty()) {
            String v = queue.poll();
            for (String w : s.used(v)) {
                if (!component.contains(w))
                    continue;
                if (w.equals(start)) {
                    last = v;
                    break;
                }
                if (cameFrom.putIfAbsent(w, v) == null)
                    queue.add(w);
            }
        }
        List<String> path = new ArrayList<>(List.of(start));
        for (String v = last; !v.equals(start); v = cameFrom.get(v))
            path.add(1, v);
        path.add(start);
        StringBuilder b = new StringBuilder(String.join(" -> ", path));
        b.append("  (all of ").append(component).append(')');
        for (int i = 0; i + 1 < path.size(); i++) {
            List<SourcePackages.Use> uses = s.uses.get(path.get(i)).get(path.get(i + 1));
            for (SourcePackages.Use u : uses.subList(0, Math.min(3, uses.size())))
                b.append("\n    ").append(u);
            if (uses.size() > 3)
                b.append("\n    ... and ").append(uses.size() - 3).append(" more");
        }
        return b.toString();
    }
}
