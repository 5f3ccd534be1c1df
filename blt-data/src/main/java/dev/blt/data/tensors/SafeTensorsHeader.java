package dev.blt.data.tensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** The JSON header of a {@code .safetensors} file, as both writers build it: metadata first, then one entry a tensor. */
final class SafeTensorsHeader {
    static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root = JSON.createObjectNode();

    SafeTensorsHeader(Map<String, String> metadata) {
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
    }

    /** A tensor's entry: dtype, shape and its byte range from the start of the data. */
    SafeTensorsHeader tensor(String name, DType dtype, long[] shape, long begin, long end) {
        ObjectNode t = root.putObject(name);
        t.put("dtype", dtype.name());
        ArrayNode dims = t.putArray("shape");
        for (long d : shape) {
            dims.add(d);
        }
        t.putArray("data_offsets").add(begin).add(end);
        return this;
    }

    byte[] bytes() throws com.fasterxml.jackson.core.JsonProcessingException {
        return JSON.writeValueAsBytes(root);
    }
}
