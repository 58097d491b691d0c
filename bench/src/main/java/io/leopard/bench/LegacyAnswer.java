package io.leopard.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.leopard.protocol.Fields;
import io.leopard.protocol.SignType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How answers were signed and written before issue 16 (commit a178801), kept here only so that
 * {@link AnswerBench} measures the old and the new way side by side in one JVM: the signed names
 * listed and sorted with a code-point comparator per call, and the JSON written by a Jackson
 * generator per answer. MD5 only, which is what T1 signs.
 */
final class LegacyAnswer {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final MessageDigest MD5 = md5();
    private static final Comparator<String> BYTE_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return ca < cb ? -1 : 1;
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return (a.length() - i) - (b.length() - j);
    };

    private LegacyAnswer() {
    }

    static String signMd5(Map<String, String> fields, String key) {
        List<String> names = new ArrayList<>(fields.size());
        for (Map.Entry<String, String> e : fields.entrySet()) {
            String value = e.getValue();
            if (!"sign".equals(e.getKey()) && value != null && !value.isEmpty()) {
                names.add(e.getKey());
            }
        }
        Collections.sort(names, BYTE_ORDER);
        MessageDigest digest;
        try {
            digest = (MessageDigest) MD5.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder pending = new StringBuilder(256);
        boolean first = true;
        for (String name : names) {
            if (!first) {
                pending.append('&');
            }
            first = false;
            pending.append(name).append('=');
            String value = fields.get(name);
            if (value.length() > 512) {
                digest.update(pending.toString().getBytes(StandardCharsets.UTF_8));
                pending.setLength(0);
                digest.update(value.getBytes(StandardCharsets.UTF_8));
            } else {
                pending.append(value);
            }
        }
        pending.append('&').append(key);
        digest.update(pending.toString().getBytes(StandardCharsets.UTF_8));
        byte[] bytes = digest.digest();
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    static byte[] object(Map<String, String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            writeObject(gen, fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String array(List<Map<String, String>> elements) {
        StringWriter out = new StringWriter(elements.size() * 220 + 2);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            gen.writeStartArray();
            for (Map<String, String> element : elements) {
                writeObject(gen, element);
            }
            gen.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeObject(JsonGenerator gen, Map<String, String> fields) throws IOException {
        gen.writeStartObject();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            gen.writeFieldName(e.getKey());
            if (Fields.isNumeric(e.getKey())) {
                gen.writeNumber(e.getValue());
            } else {
                gen.writeString(e.getValue());
            }
        }
        gen.writeEndObject();
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance(SignType.MD5.wireName());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
