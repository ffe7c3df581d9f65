namespace LeakGuard.Samples.Worker;

/// <summary>
/// Consumes made-up orders and, by mistake, keeps every processed order in a static history
/// (the leak LeakGuard finds). Set <c>Sample:Leak=false</c> to run it without the leak.
/// </summary>
public sealed class OrderConsumer(IConfiguration configuration, ILogger<OrderConsumer> logger) : BackgroundService
{
    private static readonly List<ProcessedOrder> History = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var leak = configuration.GetValue("Sample:Leak", true);
        var perSecond = configuration.GetValue("Sample:OrdersPerSecond", 400);
        logger.LogInformation("Consuming {PerSecond} orders/s; leaking the order history: {Leak}", perSecond, leak);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            for (var i = 0; i < perSecond / 10; i++)
            {
                // Parsing an order needs scratch space that dies at once: the garbage that keeps the GC running.
                var scratch = new byte[32 * 1024];
                var order = new ProcessedOrder(Guid.NewGuid(), scratch[..2048]);
                if (leak)
                {
                    History.Add(order);
                }
            }
        }
    }
}

/// <summary>An order after processing, with its serialised payload.</summary>
public sealed record ProcessedOrder(Guid Id, byte[] Payload);
