package io.hotswap.ops.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ResolvableDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.axonframework.messaging.MetaData;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a message's metadata as Axon's own {@code MetaDataDeserializer} does (a map of strings to plain JSON values),
 * but finds the map's deserializer once, when Jackson sets this one up. Axon's looks it up at every message, and that
 * lookup introspects the map type's annotations each time: about a tenth of a replaying processor's work in a profile
 * of ReplayBenchmark. Registered after Axon's module, so that it is the one Jackson uses.
 */
final class MetaDataReader extends JsonDeserializer<MetaData> implements ResolvableDeserializer {

    static SimpleModule module() {
        return new SimpleModule("hotswap-metadata").addDeserializer(MetaData.class, new MetaDataReader());
    }

    private volatile JsonDeserializer<Object> map;

    @Override
    public void resolve(DeserializationContext context) throws JsonMappingException {
        map = context.findRootValueDeserializer(
                context.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
    }

    @Override
    @SuppressWarnings("unchecked")
    public MetaData deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        return MetaData.from((Map<String, Object>) map.deserialize(parser, context, new HashMap<>()));
    }

    @Override
    public Object deserializeWithType(JsonParser parser, DeserializationContext context, TypeDeserializer types)
            throws IOException {
        return types.deserializeTypedFromObject(parser, context);
    }
}
