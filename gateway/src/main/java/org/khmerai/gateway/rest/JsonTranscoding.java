package org.khmerai.gateway.rest;

import com.google.api.FieldBehavior;
import com.google.api.FieldBehaviorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** JSON to protobuf and back, by the contract's descriptors and the proto3 JSON mapping. */
final class JsonTranscoding {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .alwaysPrintFieldsWithNoPresence()
            .omittingInsignificantWhitespace();

    private JsonTranscoding() {
    }

    /**
     * The request message from a JSON body; fields named in the path or the query string are added.
     *
     * @throws InvalidProtocolBufferException when the JSON is not an object of this message type
     */
    static ParsedRequest parse(Descriptor type, String json, Map<String, List<String>> parameters)
            throws InvalidProtocolBufferException {
        DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
        List<String> missing = List.of();
        if (!json.isBlank()) {
            Struct object = object(json);
            requireJsonStrings(type, object, "");
            PARSER.merge(json, message);
            Set<String> present = new HashSet<>(object.getFieldsMap().keySet());
            present.addAll(parameters.keySet()); // a path such as /rules/{id} names a field of the body's message
            missing = missingRequiredFields(type, present);
        }
        if (!parameters.isEmpty()) {
            PARSER.merge(PRINTER.print(asStruct(type, parameters)), message);
        }
        return new ParsedRequest(message.build(), missing);
    }

    /**
     * @param missingRequiredFields the required fields ({@code google.api.field_behavior = REQUIRED})
     *                              that a JSON body left out
     */
    record ParsedRequest(DynamicMessage message, List<String> missingRequiredFields) {
    }

    static String print(DynamicMessage message) throws InvalidProtocolBufferException {
        return PRINTER.print(message);
    }

    /** Query and path parameters as a JSON object of strings, which the proto3 JSON parser converts by field type. */
    private static Struct asStruct(Descriptor type, Map<String, List<String>> parameters) throws InvalidProtocolBufferException {
        Struct.Builder struct = Struct.newBuilder();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            FieldDescriptor field = field(type, parameter.getKey()).orElseThrow(() ->
                    new InvalidProtocolBufferException("unknown parameter " + parameter.getKey()));
            List<Value> values = parameter.getValue().stream().map(v -> Value.newBuilder().setStringValue(v).build()).toList();
            struct.putFields(field.getJsonName(), field.isRepeated()
                    ? Value.newBuilder().setListValue(ListValue.newBuilder().addAllValues(values)).build()
                    : values.getLast());
        }
        return struct.build();
    }

    private static Optional<FieldDescriptor> field(Descriptor type, String name) {
        return type.getFields().stream()
                .filter(field -> field.getName().equals(name) || field.getJsonName().equals(name))
                .findFirst();
    }

    private static Struct object(String json) throws InvalidProtocolBufferException {
        Struct.Builder object = Struct.newBuilder();
        PARSER.merge(json, object);
        return object.build();
    }

    private static List<String> missingRequiredFields(Descriptor type, Set<String> present) {
        return type.getFields().stream()
                .filter(field -> field.getOptions().getExtension(FieldBehaviorProto.fieldBehavior).contains(FieldBehavior.REQUIRED))
                .filter(field -> !present.contains(field.getJsonName()) && !present.contains(field.getName()))
                .map(FieldDescriptor::getJsonName)
                .toList();
    }

    /** The proto3 JSON parser would take {@code 42} for a string; a caller who sends it has made a mistake. */
    private static void requireJsonStrings(Descriptor type, Struct object, String path) throws InvalidProtocolBufferException {
        for (Map.Entry<String, Value> entry : object.getFieldsMap().entrySet()) {
            Optional<FieldDescriptor> field = field(type, entry.getKey());
            if (field.isEmpty()) {
                continue; // the parser names unknown fields itself
            }
            List<Value> values = field.get().isRepeated() && entry.getValue().hasListValue()
                    ? entry.getValue().getListValue().getValuesList() : List.of(entry.getValue());
            for (Value value : values) {
                if (field.get().getJavaType() == FieldDescriptor.JavaType.STRING
                        && value.getKindCase() != Value.KindCase.STRING_VALUE && value.getKindCase() != Value.KindCase.NULL_VALUE) {
                    throw new InvalidProtocolBufferException("field " + path + entry.getKey() + " must be a JSON string");
                }
                if (field.get().getJavaType() == FieldDescriptor.JavaType.MESSAGE && value.hasStructValue()) {
                    requireJsonStrings(field.get().getMessageType(), value.getStructValue(), path + entry.getKey() + ".");
                }
            }
        }
    }
}
