package io.hotswap.ops.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The messages' metadata is read by {@link MetaDataReader}, to the same values Axon's own deserializer gives. */
class MetaDataReaderTest {

    private final JacksonSerializer serializer = (JacksonSerializer) AxonConfig.jackson();

    @Test
    void theSerializersReadMetaDataWithTheirOwnReader() throws Exception {
        ObjectMapper mapper = serializer.getObjectMapper();
        DefaultDeserializationContext context = ((DefaultDeserializationContext) mapper.getDeserializationContext())
                .createInstance(mapper.getDeserializationConfig(), null, null);
        assertThat(context.findRootValueDeserializer(mapper.constructType(MetaData.class))).isInstanceOf(MetaDataReader.class);
    }

    @Test
    void metaDataComesBackAsItWasWritten() {
        Map<String, Object> nested = new HashMap<>();
        nested.put("count", 3);
        nested.put("values", Arrays.asList(true, null, 2.5, "x"));
        MetaData written = MetaData.with("correlationId", "c-1").and("principal", "alice")
                .and("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .and("nested", nested).and("nothing", null).and("big", 12345678901L);
        SerializedObject<byte[]> stored = serializer.serialize(written, byte[].class);
        MetaData read = serializer.deserialize(stored);
        assertThat(read).isEqualTo(written);
    }
}
