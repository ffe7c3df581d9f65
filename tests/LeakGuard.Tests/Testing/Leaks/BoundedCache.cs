namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>The fix for an unbounded cache: first-in first-out eviction beyond a capacity.</summary>
internal sealed class BoundedCache<TKey, TValue>(int capacity)
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _items = [];
    private readonly Queue<TKey> _order = new();

    public int Count => _items.Count;

    public void Set(TKey key, TValue value)
    {
        if (!_items.TryAdd(key, value))
        {
            _items[key] = value;
            return;
        }

        _order.Enqueue(key);
        if (_order.Count > capacity)
        {
            _items.Remove(_order.Dequeue());
        }
    }
}
