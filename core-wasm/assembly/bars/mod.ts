// Bar aggregation kernel (filled in by the bars work).
