package dev.rotor.sync.vault;

/**
 * A KV v2 secret: its mount and its path inside the mount. The API paths are built here so that messages and
 * policies name exactly what Vault checks ({@code secret/data/app/jwt}).
 */
public record KvPath(String mount, String path) {
    public KvPath {
        mount = trim(mount);
        path = trim(path);
        if (mount.isEmpty() || path.isEmpty() || path.contains("..")) {
            throw new IllegalArgumentException("a KV path needs a mount and a secret path, got '" + mount + "' '"
                    + path + "'");
        }
    }

    /**
     * A target's {@code path}, which starts with its mount: {@code secret/tooljet} is secret {@code tooljet} in
     * mount {@code secret}. A path under the configured mount (which may have several segments) keeps it.
     */
    public static KvPath ofTarget(String fullPath, String defaultMount) {
        String full = trim(fullPath);
        String mount = trim(defaultMount);
        if (full.startsWith(mount + "/")) {
            return new KvPath(mount, full.substring(mount.length() + 1));
        }
        int slash = full.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("vault-kv target path '" + fullPath + "' must be <mount>/<secret>");
        }
        return new KvPath(full.substring(0, slash), full.substring(slash + 1));
    }

    public String data() {
        return mount + "/data/" + path;
    }

    public String metadata() {
        return mount + "/metadata/" + path;
    }

    public String destroy() {
        return mount + "/destroy/" + path;
    }

    public String delete() {
        return mount + "/delete/" + path;
    }

    public String undelete() {
        return mount + "/undelete/" + path;
    }

    /** The driver's logical path ({@code mount/path}); with the mount's depth it adds the {@code data/} qualifier. */
    String logical() {
        return mount + "/" + path;
    }

    int mountDepth() {
        return mount.split("/").length;
    }

    private static String trim(String s) {
        String t = s == null ? "" : s.strip();
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    @Override
    public String toString() {
        return mount + "/" + path;
    }
}
