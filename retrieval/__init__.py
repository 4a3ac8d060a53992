"""Everything from a file on disk to ranked passages: loading, cleaning, chunking, the store, indexes, fusion."""
