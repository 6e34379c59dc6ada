package dev.rotor.reencrypt.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable buffer of rows in PostgreSQL's COPY text format (tab-separated, backslash escapes). */
final class CopyText {
    private byte[] buf = new byte[1 << 16];
    private int len;

    void field(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> ascii2('\\', '\\');
                case '\n' -> ascii2('\\', 'n');
                case '\r' -> ascii2('\\', 'r');
                case '\t' -> ascii2('\\', 't');
                default -> {
                    if (c < 0x80) {
                        ensure(1);
                        buf[len++] = (byte) c;
                    } else {
                        utf8(value, i);
                        if (Character.isHighSurrogate(c)) {
                            i++;
                        }
                    }
                }
            }
        }
    }

    void field(int value) {
        field(Integer.toString(value));
    }

    void tab() {
        ensure(1);
        buf[len++] = '\t';
    }

    void endRow() {
        ensure(1);
        buf[len++] = '\n';
    }

    byte[] bytes() {
        return buf;
    }

    int length() {
        return len;
    }

    void clear() {
        len = 0;
    }

    private void ascii2(char a, char b) {
        ensure(2);
        buf[len++] = (byte) a;
        buf[len++] = (byte) b;
    }

    private void utf8(String s, int i) {
        int end = Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() ? i + 2 : i + 1;
        byte[] b = s.substring(i, end).getBytes(StandardCharsets.UTF_8);
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
