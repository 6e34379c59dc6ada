package dev.rotor.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a dotenv file the way an app would, for assertions. */
final class EnvFile {
    private EnvFile() {
    }

    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#") || !t.contains("=")) {
                continue;
            }
            String key = t.substring(0, t.indexOf('=')).trim();
            String value = t.substring(t.indexOf('=') + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            } else if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                value = value.substring(1, value.length() - 1); // single quotes: literal, as every loader reads them
            }
            vars.put(key, value);
        }
        return vars;
    }
}
