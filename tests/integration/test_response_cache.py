from zichtop.web.response_cache import ResponseCache, entry_size


def test_key_changes_with_the_data_file():
    body = b'{"output": "kaart-map.figure"}'
    assert ResponseCache.key(body, (1, 2.0)) == ResponseCache.key(body, (1, 2.0))
    assert ResponseCache.key(body, (1, 2.0)) != ResponseCache.key(body, (3, 2.0))
    assert ResponseCache.key(body, (1, 2.0)) != ResponseCache.key(body + b" ", (1, 2.0))


def test_bounded_by_bytes_least_recently_used_first():
    cache = ResponseCache(max_bytes=8 * entry_size("k0", b"x" * 100, "application/json"))
    for n in range(8):
        cache.put(f"k{n}", b"x" * 100, "application/json")
    assert cache.get("k0") is not None  # touched: now most recent
    cache.put("k8", b"y" * 100, "application/json")
    assert cache.get("k1") is None and cache.get("k0") is not None
    cache.put("big", b"z" * 200, "application/json")  # over an eighth of the budget: not kept
    assert cache.get("big") is None
