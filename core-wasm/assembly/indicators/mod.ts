// Streaming indicator kernels (filled in by the indicators work).
