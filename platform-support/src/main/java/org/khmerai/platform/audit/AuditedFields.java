package org.khmerai.platform.audit;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.GeneratedMessage.GeneratedExtension;
import com.google.protobuf.Message;
import com.google.protobuf.DescriptorProtos.FieldOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.khmerai.api.v1.AccessProto;

/**
 * The values of a message's fields that its contract marks for the audit record: {@code audited_text}
 * (what a ministry's policy rules look at) and {@code audited_resource} (what the call acts on), found
 * in nested messages too, in field order.
 */
public final class AuditedFields {

    public static final AuditedFields TEXT = new AuditedFields(AccessProto.auditedText);
    public static final AuditedFields RESOURCE = new AuditedFields(AccessProto.auditedResource);

    private final GeneratedExtension<FieldOptions, Boolean> mark;
    /**
     * For each message type, the fields worth reading: its marked text fields, and the message fields
     * whose type holds a mark, itself or deeper. Worked out once a type, since a streamed answer's
     * every piece is read here.
     */
    private final Map<Descriptor, List<FieldDescriptor>> toRead = new ConcurrentHashMap<>();

    private AuditedFields(GeneratedExtension<FieldOptions, Boolean> mark) {
        this.mark = mark;
    }

    /** The marked values of {@code message}, empty strings left out. */
    public List<String> of(Message message) {
        List<String> values = new ArrayList<>();
        collect(message, values);
        return values;
    }

    private void collect(Message message, List<String> values) {
        for (FieldDescriptor field : fieldsToRead(message.getDescriptorForType())) {
            boolean text = field.getJavaType() == FieldDescriptor.JavaType.STRING;
            for (Object value : valuesOf(message, field)) {
                if (!text) {
                    collect((Message) value, values);
                } else if (!((String) value).isEmpty()) {
                    values.add((String) value);
                }
            }
        }
    }

    private List<FieldDescriptor> fieldsToRead(Descriptor type) {
        return toRead.computeIfAbsent(type, t -> t.getFields().stream().filter(field -> isMarked(field)
                || field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField()
                        && holdsMark(field.getMessageType(), new HashSet<>())).toList());
    }

    private static List<?> valuesOf(Message message, FieldDescriptor field) {
        if (field.isRepeated()) {
            return field.isMapField() ? List.of() : (List<?>) message.getField(field);
        }
        return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !message.hasField(field)
                ? List.of() : List.of(message.getField(field));
    }

    private boolean isMarked(FieldDescriptor field) {
        return field.getJavaType() == FieldDescriptor.JavaType.STRING && field.getOptions().getExtension(mark);
    }

    private boolean holdsMark(Descriptor type, Set<Descriptor> visiting) {
        if (!visiting.add(type)) {
            return false; // a recursive type holds a mark only through its other fields
        }
        return type.getFields().stream().anyMatch(field -> isMarked(field)
                || field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField()
                        && holdsMark(field.getMessageType(), visiting));
    }
}
