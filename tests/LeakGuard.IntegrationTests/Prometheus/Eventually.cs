using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Prometheus;

/// <summary>Polls a condition until it holds or a deadline passes; no sleeps for synchronisation.</summary>
internal static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T?>> probe, TimeSpan deadline, Func<string> explain, TimeSpan? interval = null)
        where T : class
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            T? value = null;
            try
            {
                value = await probe();
            }
            catch (HttpRequestException)
            {
                // The server is still starting.
            }

            if (value is not null)
            {
                return value;
            }

            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"Not reached within {deadline}: {explain()}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(500));
        }
    }
}
