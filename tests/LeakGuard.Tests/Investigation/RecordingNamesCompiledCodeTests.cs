using System.Runtime.CompilerServices;
using LeakGuard.Investigation;
using NUnit.Framework;

namespace LeakGuard.Tests.Investigation;

/// <summary>
/// A real recording of this process with the session configuration an investigation uses (from .NET 10 only the events
/// the recording reads reach it): code compiled while the window is open — a method called for the first time, then
/// called often enough to be re-compiled at a higher tier — must still be named on the stacks of its samples.
/// </summary>
[NonParallelizable]
[Category("HeapSnapshot")]
public class RecordingNamesCompiledCodeTests
{
    [Test]
    public async Task A_method_first_compiled_and_tiered_up_during_the_recording_is_named_on_every_sample_of_its_type()
    {
        var recording = await AllocationRecording.StartAsync(AllocationSampling.For(Environment.Version), CancellationToken.None);
        // Many short calls over at least a second: tier 0 at the first call, tier 1 after 30 calls and the runtime's
        // 100 ms tiering delay, both while the window is open. About 2 000 samples of the type (100 KB apart).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        var calls = 0;
        while (DateTime.UtcNow < deadline || calls < 2_000)
        {
            FreshlyCompiled.Allocate(500);
            calls++;
        }

        var profile = await recording.StopAsync(CancellationToken.None);

        var type = typeof(FreshRecord).FullName!;
        var stacks = profile.Stacks.Where(s => s.RawTypeName == type).ToList();
        TestContext.Out.WriteLine(string.Join("\n", stacks.Select(s => $"{s.Samples} samples: {string.Join(" | ", s.Frames.Take(3))}")));
        var named = stacks.Where(s => s.Frames.Any(f => f.Contains("FreshlyCompiled.Allocate", StringComparison.Ordinal))).Sum(s => s.Samples);
        Assert.Multiple(() =>
        {
            Assert.That(stacks.Sum(s => s.Samples), Is.GreaterThan(100), "samples of the type were recorded");
            Assert.That(named, Is.EqualTo(stacks.Sum(s => s.Samples)), "every sample names the method, at every tier it ran");
        });
    }
}

internal sealed class FreshRecord
{
    public long A { get; set; }

    public long B { get; set; }
}

// Called by no other test, so its code is compiled after the recording starts.
internal static class FreshlyCompiled
{
    public static FreshRecord? Last { get; private set; }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Allocate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Last = new FreshRecord { A = i };
        }
    }
}
