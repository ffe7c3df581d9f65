using NUnit.Framework;
namespace LeakGuard.Tests.AspNetCore;

/// <summary>Waits for a condition with a deadline instead of sleeping.</summary>
internal static class Poll
{
    public static Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The condition did not become true before the deadline.");
            }

            await Task.Delay(20);
        }
    }
}
