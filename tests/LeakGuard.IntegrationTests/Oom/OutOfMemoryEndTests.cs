using System.Text.Json;
using LeakGuard.IntegrationTests.Zoo;
using NUnit.Framework;

namespace LeakGuard.IntegrationTests.Oom;

/// <summary>
/// The zoo's way of dying of a leak must itself work at the heap's limit, where any allocation may throw: one CI run of
/// <see cref="RestartCadenceTests"/> kept a full heap alive for three minutes because the crash queued a thread-pool item
/// (an allocation), which threw again inside the loop's catch and left the process running with nothing to end it.
/// </summary>
[Category("Oom")]
public sealed class OutOfMemoryEndTests
{
    [Test]
    public async Task Ending_the_zoo_on_an_out_of_memory_allocates_nothing()
    {
        using var directory = new TempDirectory();
        using var zoo = ZooProcess.Start("unbounded-cache", directory.Path, "--check-out-of-memory-end", "--no-stdin");
        Assert.That(await zoo.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.True, zoo.Log);
        var check = zoo.Lines.SingleOrDefault(l => l.Tag == "ZOO-OOM-END");
        Assert.Multiple(() =>
        {
            Assert.That(zoo.ExitCode, Is.Zero, "the self-check ran to its end: the crash thread is not armed in it, so nothing may end the process\n" + zoo.Log);
            Assert.That(check, Is.Not.Null, zoo.Log);
            Assert.That(check?.Data.GetProperty("allocatedBytes").GetInt64(), Is.Zero, zoo.Log);
        });
    }
}
