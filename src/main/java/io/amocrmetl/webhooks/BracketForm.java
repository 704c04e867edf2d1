package io.amocrmetl.webhooks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PHP's bracket keys (docs/amocrm-api.md §6.2) as a tree: {@code leads[delete][0][id]=1} becomes
 * {@code {leads: {delete: {0: {id: "1"}}}}}. Stricter than PHP, which repairs odd keys silently:
 * an unbalanced bracket, text after a closing bracket, a key that is both a value and a group, or
 * nesting deeper than the deliveries ever go is refused.
 */
final class BracketForm {
    private BracketForm() {}

    static Map<String, Object> tree(List<FormDecoder.Field> fields, int maxDepth) throws Refusal {
        Map<String, Object> root = new LinkedHashMap<>();
        int n = 0;
        for (FormDecoder.Field f : fields) {
            n++;
            List<String> path = path(f.key(), n);
            if (path.size() > maxDepth) {
                throw new Refusal(400, "form field " + n + " nests deeper than " + maxDepth + " levels");
            }
            insert(root, path, f.value(), n);
        }
        return root;
    }

    /** {@code a[b][c]} as [a, b, c]; {@code a[]} as [a, ""] (the next index). */
    static List<String> path(String key, int n) throws Refusal {
        int open = key.indexOf('[');
        String name = open < 0 ? key : key.substring(0, open);
        if (name.isEmpty() || name.indexOf(']') >= 0) {
            throw new Refusal(400, "malformed brackets in form field " + n);
        }
        List<String> out = new ArrayList<>();
        out.add(name);
        int i = open;
        while (i >= 0 && i < key.length()) {
            if (key.charAt(i) != '[') {
                throw new Refusal(400, "malformed brackets in form field " + n);
            }
            int close = key.indexOf(']', i + 1);
            int nested = key.indexOf('[', i + 1);
            if (close < 0 || (nested >= 0 && nested < close)) {
                throw new Refusal(400, "malformed brackets in form field " + n);
            }
            out.add(key.substring(i + 1, close));
            i = close + 1;
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void insert(Map<String, Object> root, List<String> path, String value, int n) throws Refusal {
        Map<String, Object> node = root;
        for (int i = 0; i < path.size(); i++) {
            String k = path.get(i);
            if (k.isEmpty()) {
                k = String.valueOf(node.size());
            }
            boolean leaf = i == path.size() - 1;
            Object have = node.get(k);
            if (leaf) {
                if (have != null) {
                    throw new Refusal(400, "form field " + n + " repeats or conflicts with an earlier field");
                }
                node.put(k, value);
            } else {
                if (have == null) {
                    have = new LinkedHashMap<String, Object>();
                    node.put(k, have);
                } else if (!(have instanceof Map)) {
                    throw new Refusal(400, "form field " + n + " repeats or conflicts with an earlier field");
                }
                node = (Map<String, Object>) have;
            }
        }
    }
}
