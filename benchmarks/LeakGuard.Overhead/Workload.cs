using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeakGuard.Overhead;

/// <summary>
/// Request-like work with a constant live set: JSON round trips, a bounded dictionary under churn and
/// an occasional large object. Tuned (with a small gen0 budget set by the orchestrator) for well over
/// 100 collections per second, so per-GC costs of a monitor show up in the throughput.
/// </summary>
internal sealed class Workload
{
    private const int CacheSize = 20_000;
    private readonly Dictionary<int, Order> _cache = new(CacheSize);
    private readonly Random _random = new(42);
    private byte[]? _large;
    private long _operations;

    public long Operations => _operations;

    public void RunOne()
    {
        var order = new Order
        {
            Id = _random.Next(),
            Customer = "customer-" + _random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Lines = new List<OrderLine>(16),
        };
        for (var i = 0; i < 16; i++)
        {
            order.Lines.Add(new OrderLine { Sku = "sku-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), Quantity = i + 1, Price = 9.99m * (i + 1) });
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(order, OverheadJsonContext.Default.Order);
        var back = JsonSerializer.Deserialize(json, OverheadJsonContext.Default.Order)!;

        // A response-sized scratch buffer, dropped at once (request-like short-lived garbage).
        var response = new byte[json.Length * 4];
        json.CopyTo(response, 0);
        back.Customer = back.Customer + "/" + response.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Bounded churn: the live set stays constant, so nothing here is a leak.
        var key = back.Id % (CacheSize * 2);
        if (_cache.Count >= CacheSize)
        {
            _cache.Remove(_random.Next(CacheSize * 2));
        }

        _cache[key] = back;

        if ((_operations & 1023) == 0)
        {
            // A large object now and then (LOH), dropped at the next one.
            _large = new byte[128 * 1024];
            _large[0] = 1;
        }

        _operations++;
    }
}

internal sealed class Order
{
    public int Id { get; set; }

    public string Customer { get; set; } = string.Empty;

    public List<OrderLine> Lines { get; set; } = [];
}

internal sealed class OrderLine
{
    public string Sku { get; set; } = string.Empty;

    public int Quantity { get; set; }

    public decimal Price { get; set; }
}

[JsonSerializable(typeof(Order))]
internal sealed partial class OverheadJsonContext : JsonSerializerContext;
