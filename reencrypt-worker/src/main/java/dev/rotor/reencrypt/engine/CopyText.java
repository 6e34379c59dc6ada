package dev.rotor.reencrypt.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable buffer of rows in PostgreSQL's COPY text format (tab-separated, backslash escapes). */
final class CopyText {
    private byte[] buf = new byte[1 << 16];
    private int len;

    /**
     * Appends one field. Base64 values and uuid/number ids are plain ASCII with nothing to escape: they are checked in
     * one pass and copied in bulk; anything else goes through the escaping loop.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): a bulk copy of chars below 0x80
    void field(String value) {
        int n = value.length();
        boolean plain = true;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '\\') {
                plain = false;
                break;
            }
        }
        if (plain) {
            ensure(n);
            value.getBytes(0, n, buf, len);
            len += n;
            return;
        }
        escaped(value);
    }

    private void escaped(String value) {
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

    /** A non-negative int, without a String. */
    void field(int value) {
        if (value < 0) {
            field(Integer.toString(value));
            return;
        }
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) {
            digits++;
        }
        ensure(digits);
        for (int k = len + digits - 1, v = value; k >= len; k--, v /= 10) {
            buf[k] = (byte) ('0' + v % 10);
        }
        len += digits;
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
