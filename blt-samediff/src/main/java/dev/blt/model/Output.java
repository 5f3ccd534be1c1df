package dev.blt.model;

/** What a caller wants back from the model per position. */
public enum Output {
    LOGITS(GraphNames.LOGITS), PRENORM(GraphNames.PRENORM), NORMS(GraphNames.NORMS), ENTROPIES(GraphNames.ENTROPIES);

    final String graphName;

    Output(String graphName) {
        this.graphName = graphName;
    }
}
