using LeakGuard.Investigation;
using Microsoft.Diagnostics.NETCore.Client;

namespace LeakGuard.Testing;

/// <summary>
/// The one heap-snapshot probe of the test process: assertions run one at a time (two would count each other's
/// objects), and the very first snapshot is a throw-away that lets the snapshot machinery's one-time state (loaded
/// types, parser tables) settle before anything is counted.
/// </summary>
internal static class SnapshotSession
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly RetainedTypeProbe Probe = new(TimeSpan.FromMinutes(2));
    private static bool _primed;

    /// <summary>Waits for exclusive use of the probe.</summary>
    /// <returns>A handle that releases it.</returns>
    public static IDisposable Enter()
    {
        Gate.Wait();
        return new Release();
    }

    /// <summary>Waits asynchronously for exclusive use of the probe.</summary>
    /// <returns>A handle that releases it.</returns>
    public static async Task<IDisposable> EnterAsync()
    {
        await Gate.WaitAsync().ConfigureAwait(false);
        return new Release();
    }

    /// <summary>Takes a snapshot (after full collections); call only inside <see cref="Enter"/>.</summary>
    /// <returns>The graph.</returns>
    public static async Task<HeapGraph> TakeAsync()
    {
        // Unwind the caller's stack first: an awaited operation that completed synchronously still has its frames (and
        // their locals) below an inline continuation, and a snapshot would find its objects alive there.
        await Task.Yield();
        try
        {
            if (!_primed)
            {
                _ = await Probe.TakeAsync(CancellationToken.None).ConfigureAwait(false);
                _primed = true;
            }

            return await Probe.TakeAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ServerNotAvailableException ex)
        {
            throw new InvalidOperationException(
                "LeakAssert needs heap snapshots, which need the runtime's diagnostics IPC channel; it is disabled in this test process (DOTNET_EnableDiagnostics=0). Run the test with diagnostics enabled.",
                ex);
        }
        catch (HeapSnapshotException ex)
        {
            throw new InvalidOperationException("LeakAssert could not take a heap snapshot of the test process: " + ex.Message, ex);
        }
    }

    /// <summary>Takes a snapshot synchronously (on a pool thread, so no synchronization context of the test can deadlock it).</summary>
    /// <returns>The graph.</returns>
    public static HeapGraph Take() => Task.Run(TakeAsync).GetAwaiter().GetResult();

    /// <summary>Renders a graph's type names.</summary>
    /// <param name="graph">The graph.</param>
    /// <returns>The rendered graph.</returns>
    public static RenderedGraph Render(HeapGraph graph) => Probe.Render(graph);

    /// <summary>Finds the retention paths of the given types.</summary>
    /// <param name="graph">The rendered graph.</param>
    /// <param name="types">The types.</param>
    /// <returns>The paths per type.</returns>
    public static Dictionary<string, IReadOnlyList<RetentionPath>> FindPaths(RenderedGraph graph, IReadOnlyCollection<string> types) =>
        Probe.FindPaths(graph, types);

    /// <summary>Names the declaring types of static-field roots.</summary>
    /// <param name="paths">The paths.</param>
    /// <returns>The qualified paths.</returns>
    public static IReadOnlyList<RetentionPath> Qualify(IReadOnlyList<RetentionPath> paths) => Probe.Qualify(paths);

    private sealed class Release : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Gate.Release();
            }
        }
    }
}
