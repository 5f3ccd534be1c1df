package dev.blt.data.tensors;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** A source whose tensors are read from other sources, each under its name there: shards, or a renamed view. */
public abstract class RoutedTensorSource implements TensorSource {
    private record Route(TensorSource source, String name) {
    }

    private final Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    private final Map<String, Route> routes = new HashMap<>();

    /** Adds a tensor, shown as {@code info}, read from {@code source} as {@code nameThere}. */
    protected final void route(TensorInfo info, TensorSource source, String nameThere) {
        tensors.put(info.name(), info);
        routes.put(info.name(), new Route(source, nameThere));
    }

    @Override
    public final Map<String, TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public final float[] readFloats(String name) throws TensorFileException {
        Route r = routes.get(name);
        if (r == null) {
            throw new TensorFileException(path(), name, "not in file");
        }
        return r.source().readFloats(r.name());
    }
}
