print("binhyen")
